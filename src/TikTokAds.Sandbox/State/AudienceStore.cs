using System.Globalization;

namespace TikTokAds.Sandbox.State;

/// <summary>Audiences of every kind (segment, customer file, lookalike) and uploaded customer files.</summary>
public sealed class AudienceStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SandboxAudience> _audiences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string AdvertiserId, string CalculateType, string[] Lines)> _files = new(StringComparer.Ordinal);
    private long _nextId = 1800000000000000001;

    public Lock Sync => _lock;

    public SandboxAudience? Find(string audienceId)
    {
        lock (_lock)
        {
            return _audiences.GetValueOrDefault(audienceId);
        }
    }

    /// <summary>
    /// Completes once the audience holds at least <paramref name="count"/> members (at once if it does): a wait
    /// without polling, so a reader never contends for the lock a mapping request holds. It fails if the audience is
    /// deleted or the sandbox reset first.
    /// </summary>
    public Task WhenHolds(string audienceId, int count)
    {
        lock (_lock)
        {
            return _audiences.TryGetValue(audienceId, out var audience) ? audience.WhenHolds(count)
                : throw new KeyNotFoundException($"No audience {audienceId}.");
        }
    }

    public int CountFor(string advertiserId)
    {
        lock (_lock)
        {
            return _audiences.Values.Count(a => a.AdvertiserId == advertiserId);
        }
    }

    public SandboxAudience Create(string advertiserId, string name, string type, string calculateType, DateTimeOffset now, TimeSpan processing)
    {
        lock (_lock)
        {
            var id = (_nextId++).ToString(CultureInfo.InvariantCulture);
            var audience = new SandboxAudience(id, advertiserId, name, type, calculateType, now, now + processing);
            _audiences[id] = audience;
            return audience;
        }
    }

    public bool Delete(string audienceId)
    {
        lock (_lock)
        {
            if (!_audiences.Remove(audienceId, out var audience))
            {
                return false;
            }
            audience.Abandon();
            return true;
        }
    }

    public IReadOnlyList<SandboxAudience> ForAdvertiser(string advertiserId)
    {
        lock (_lock)
        {
            return [.. _audiences.Values.Where(a => a.AdvertiserId == advertiserId).OrderBy(a => a.AudienceId, StringComparer.Ordinal)];
        }
    }

    public string AddFile(string advertiserId, string calculateType, string[] lines)
    {
        lock (_lock)
        {
            var path = $"sandbox/custom_audience/{Guid.NewGuid():N}";
            _files[path] = (advertiserId, calculateType, lines);
            return path;
        }
    }

    public (string AdvertiserId, string CalculateType, string[] Lines)? File(string path)
    {
        lock (_lock)
        {
            return _files.TryGetValue(path, out var file) ? file : null;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            foreach (var audience in _audiences.Values)
            {
                audience.Abandon();
            }
            _audiences.Clear();
            _files.Clear();
        }
    }
}
