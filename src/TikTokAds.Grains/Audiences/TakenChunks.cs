namespace TikTokAds.Grains.Audiences;

/// <summary>
/// One turn's chunks that TikTok took and that are not stored yet. Their members, and the run as it stands past
/// them, are stored in one transaction: every <c>chunksPerWrite</c> chunks taken, and at once when a chunk changes
/// the run's stored phase or status (the first chunk of a turn that starts a run, the one that ends a phase or the
/// run), when it is a REPLACE's removal (the next removal is planned from the stored members), and when the run is
/// stored for any other reason. The run's stored progress therefore never passes a chunk whose members are not
/// stored. <paramref name="stored"/> is the run as stored when the turn began. Not thread-safe: the grain's
/// settlements call it one at a time.
/// </summary>
internal sealed class TakenChunks(IAudienceStore store, string audienceKey, AudienceOperation stored, int chunksPerWrite)
{
    private readonly List<IReadOnlyCollection<string>> _members = [];
    private AudienceOperation _stored = stored;
    private AudienceOperation? _run;
    private int _taken;
    private bool _removes;

    /// <summary>A chunk TikTok took, and the run past it: stored now if it fills a write or changes more than progress, else with a later one.</summary>
    public async Task TookAsync(AudienceSyncStep step, AudienceOperation next, CancellationToken cancellationToken)
    {
        if (_taken > 0 && step.Deletes != _removes)
        {
            await FlushAsync(cancellationToken);
        }
        if (step.Members.Count > 0)
        {
            _members.Add(step.Members);
        }
        (_run, _removes, _taken) = (next, step.Deletes, _taken + 1);
        if (_taken >= chunksPerWrite || step.StoredAtOnce || next.Phase != _stored.Phase || next.Status != _stored.Status)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>The run stored as <paramref name="run"/>, with the members of the chunks taken before it.</summary>
    public async Task StoreAsync(AudienceOperation run, CancellationToken cancellationToken)
    {
        await store.CommitAsync(audienceKey, run, _removes, _members, cancellationToken);
        _members.Clear();
        (_stored, _run, _taken) = (run, null, 0);
    }

    /// <summary>Whatever was taken and not stored yet, stored (nothing when all is).</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => _run is { } run ? StoreAsync(run, cancellationToken) : Task.CompletedTask;
}
