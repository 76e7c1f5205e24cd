using System.Globalization;
using System.Text;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// One event's JSON cut where its number and its event_time go, so a batch body is literal pieces and two numbers
/// per event instead of a JSON tree per event.
/// </summary>
internal sealed class EventTemplate
{
    public const long IdMarker = 987_654_321_987;
    private readonly string[] _pieces;
    private readonly bool[] _timeAfter;

    private EventTemplate(string[] pieces, bool[] timeAfter)
    {
        _pieces = pieces;
        _timeAfter = timeAfter;
    }

    /// <summary>Characters of literal JSON per event.</summary>
    public int Length => _pieces.Sum(p => p.Length);

    /// <summary><paramref name="json"/> is an event built with <see cref="IdMarker"/> as its number; its "event_time" value is cut out too.</summary>
    public static EventTemplate Of(string json)
    {
        const string TimeKey = "\"event_time\":";
        var timeAt = json.IndexOf(TimeKey, StringComparison.Ordinal) + TimeKey.Length;
        var timeEnd = timeAt;
        while (timeEnd < json.Length && char.IsAsciiDigit(json[timeEnd]))
        {
            timeEnd++;
        }
        var marker = IdMarker.ToString(CultureInfo.InvariantCulture);
        var pieces = new List<string>();
        var timeAfter = new List<bool>();
        foreach (var (part, endsAtTime) in new[] { (json[..timeAt], true), (json[timeEnd..], false) })
        {
            var ids = part.Split(marker);
            for (var p = 0; p < ids.Length; p++)
            {
                pieces.Add(ids[p]);
                timeAfter.Add(p == ids.Length - 1 && endsAtTime);
            }
        }
        return new([.. pieces], [.. timeAfter]);
    }

    /// <summary>Appends the event numbered <paramref name="id"/> with <paramref name="eventTime"/>.</summary>
    public void AppendTo(StringBuilder body, long id, long eventTime)
    {
        for (var p = 0; p < _pieces.Length; p++)
        {
            body.Append(_pieces[p]);
            if (_timeAfter[p])
            {
                body.Append(eventTime);
            }
            else if (p < _pieces.Length - 1)
            {
                body.Append(id);
            }
        }
    }
}
