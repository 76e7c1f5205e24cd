using System.Collections.Concurrent;

namespace TikTokAds.Sandbox.State;

/// <summary>
/// What was posted to /sandbox/echo/…: a stand-in for an organizer's call-back receiver, so a demo can send
/// leads somewhere and look at what arrived. The latest 1,000 are kept.
/// </summary>
public sealed class EchoLog
{
    private const int Kept = 1000;
    private readonly ConcurrentQueue<EchoedRequest> _requests = new();

    public void Add(EchoedRequest request)
    {
        _requests.Enqueue(request);
        while (_requests.Count > Kept && _requests.TryDequeue(out _))
        {
        }
    }

    /// <summary>Oldest first; only those posted to <paramref name="path"/> when it is given.</summary>
    public IReadOnlyList<EchoedRequest> List(string? path)
        => [.. _requests.Where(r => string.IsNullOrEmpty(path) || r.Path == path)];

    public void Clear() => _requests.Clear();
}

/// <param name="Path">What followed /sandbox/echo/ ("leads" for /sandbox/echo/leads).</param>
/// <param name="Headers">The request's headers, names in lower case.</param>
public sealed record EchoedRequest(string Path, DateTimeOffset ReceivedAt, IReadOnlyDictionary<string, string> Headers, string Body);
