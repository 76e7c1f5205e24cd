using System.Text.Json;
using TikTokAds.Contracts.Events;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Events;

/// <summary>
/// The request inspector's view of one request. The body is rebuilt from the rows the request carried, with
/// the same serializer and the same order, so it is the JSON that was sent; it is absent once any of those
/// rows has been purged.
/// </summary>
public static class RequestLog
{
    public static RequestLogView View(SentRequest request, string pixelId, IReadOnlyDictionary<long, TrackEventJson>? payloads) => new(
        request.Id, request.SentAt, request.Outcome, request.Code, request.Message, request.RequestId, request.LatencyMs,
        request.Seqs.Count, request.EventNames, request.EventSource, request.TestEventCode,
        payloads is null ? null : Body(request, pixelId, payloads));

    private static string? Body(SentRequest request, string pixelId, IReadOnlyDictionary<long, TrackEventJson> payloads)
    {
        var data = new List<TrackEventJson>(request.Seqs.Count);
        foreach (var seq in request.Seqs)
        {
            if (!payloads.TryGetValue(seq, out var payload))
            {
                return null;
            }
            data.Add(payload);
        }
        var body = new TrackRequest
        {
            EventSource = request.EventSource,
            EventSourceId = pixelId,
            Data = data,
            TestEventCode = request.TestEventCode,
            PartnerName = request.PartnerName,
        };
        return JsonSerializer.Serialize(body, TikTokJsonContext.Default.TrackRequest);
    }
}
