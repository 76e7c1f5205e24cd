using TikTokAds.Runtime.Internal;
using TikTokAds.Runtime.Membership;
using TikTokAds.Runtime.Reminders;
using TikTokAds.Runtime.Statistics;

namespace TikTokAds.Runtime.Hosting;

internal sealed class GrainRuntimeInfo(GrainRuntime runtime, RuntimeMode mode) : IGrainRuntimeInfo
{
    public string NodeId => runtime.NodeId;
    public string Mode => mode.Name;
    public bool IsServing => runtime.IsServing;
    public IClusterMembership Membership => runtime.Membership;
    public IReminderTable Reminders => runtime.Reminders.Table;
    public RuntimeSnapshot GetStatistics() => runtime.Statistics.GetSnapshot();
    public IReadOnlyList<GrainId> GetLocalActivations() => [.. runtime.Catalog.Activations.Where(a => !a.IsDeactivating).Select(a => a.GrainId)];
}
