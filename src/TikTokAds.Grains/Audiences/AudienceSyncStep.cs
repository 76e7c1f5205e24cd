using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Audiences;

/// <summary>
/// One chunk of a run: the request for TikTok (none when the run's phase has nothing left), the members it
/// adds or deletes ("SCHEMA:hash"; a <see cref="MemberChunk"/> when the run's rows are packed), and how many rows (phase 0) or members (phase 1) it covers.
/// </summary>
public sealed record AudienceSyncStep(AudienceOperation Run, SegmentMappingRequest? Request, IReadOnlyCollection<string> Members, int Count)
{
    public bool Deletes => Request?.Action == "delete";

    /// <summary>
    /// A REPLACE's removals (phase 1) are stored one at a time, each with the run's progress past it: the next
    /// removal is planned from the stored members. Upload chunks are stored a few at a time (<see cref="TakenChunks"/>).
    /// </summary>
    public bool StoredAtOnce => Run.Phase != 0;

    /// <summary>The metric label: the run's action, or REPLACE_REMOVE for a REPLACE's removals.</summary>
    public string Metric => Run.Phase == 0 ? Run.Action : "REPLACE_REMOVE";
}
