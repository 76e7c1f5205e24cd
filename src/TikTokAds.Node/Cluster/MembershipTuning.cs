using Orleans.Configuration;

namespace TikTokAds.Node.Cluster;

/// <summary>
/// Failure detection, tuned so that a killed node's pixels answer again on the survivors within about five
/// seconds (Orleans' defaults take over ten). Why each value is what it is: docs/CLUSTER.md.
/// </summary>
internal static class MembershipTuning
{
    public static void Apply(ClusterMembershipOptions options)
    {
        // Probe every second and suspect a node after two probes in a row go unanswered.
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.NumMissedProbesLimit = 2;
        // Two votes declare a node dead (Orleans asks for fewer when fewer nodes are alive), so one noisy
        // node cannot evict a healthy one on its own; indirect probes ask a third node before voting.
        options.NumVotesForDeathDeclaration = 2;
        options.EnableIndirectProbes = true;
        // Read the table and publish liveness more often than the defaults (60 s, 5 min): cheap rows,
        // and a dead node's row is seen by everyone sooner.
        options.TableRefreshTimeout = TimeSpan.FromSeconds(5);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
    }
}
