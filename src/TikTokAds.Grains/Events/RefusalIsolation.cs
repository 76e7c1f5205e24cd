using System.Globalization;
using System.Text.RegularExpressions;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Events;

/// <summary>
/// Finds the events TikTok refuses inside a batch, so the good ones in it are still delivered. TikTok refuses a
/// whole request for one bad event (40002, 40003). When its message names the event (<c>data[17]…</c>), that
/// event is a dead letter at once and the rest is sent again; otherwise the batch is halved and each half sent,
/// until every refused event stands alone. Groups still to send come before new batches.
/// </summary>
public sealed partial class RefusalIsolation
{
    private readonly LinkedList<IReadOnlyList<BufferedEvent>> _groups = new();

    public int PendingGroups => _groups.Count;

    /// <summary>Codes TikTok uses for a bad event rather than a bad request.</summary>
    public static bool IsPerEvent(int code) => code is TikTokCodes.InvalidEvent or TikTokCodes.InvalidUserData;

    /// <summary>The next group to send again, if any.</summary>
    public IReadOnlyList<BufferedEvent>? Next => _groups.First?.Value;

    public void Taken() => _groups.RemoveFirst();

    public void Clear() => _groups.Clear();

    /// <summary>
    /// Splits a refused batch of two or more events. Returns the event TikTok named, which is refused for
    /// good; null when TikTok named none and the batch was halved instead.
    /// </summary>
    public BufferedEvent? Split(IReadOnlyList<BufferedEvent> batch, string message)
    {
        if (NamedIndex(message) is { } named && named < batch.Count)
        {
            var rest = batch.Where((_, i) => i != named).ToList();
            _groups.AddFirst(rest);
            return batch[named];
        }
        var half = batch.Count / 2;
        _groups.AddFirst(batch.Skip(half).ToList());
        _groups.AddFirst(batch.Take(half).ToList());
        return null;
    }

    private static int? NamedIndex(string message)
    {
        var match = DataIndex().Match(message);
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    [GeneratedRegex(@"\bdata\[(\d{1,4})\]", RegexOptions.CultureInvariant)]
    private static partial Regex DataIndex();
}
