using TikTokAds.Runtime.Membership;
using TikTokAds.Runtime.Reminders;
using TikTokAds.Runtime.Statistics;

namespace TikTokAds.Runtime.Hosting;

/// <summary>What operators and the dashboard may read about this node's runtime.</summary>
public interface IGrainRuntimeInfo
{
    string NodeId { get; }

    /// <summary>"embedded" (one node, in memory) or "postgres" (clustered).</summary>
    string Mode { get; }

    bool IsServing { get; }

    IClusterMembership Membership { get; }

    IReminderTable Reminders { get; }

    RuntimeSnapshot GetStatistics();

    IReadOnlyList<GrainId> GetLocalActivations();
}
