using TikTokAds.Orleans.Runtime.Internal;
using TikTokAds.Orleans.Runtime.Membership;
using TikTokAds.Orleans.Runtime.Reminders;
using TikTokAds.Orleans.Runtime.Statistics;

namespace TikTokAds.Orleans.Runtime.Hosting;

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
