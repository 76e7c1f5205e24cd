using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Contracts.Events;

/// <summary>
/// One connected pixel of one organizer (key: "{organizerId}/{pixelId}"): its durable buffer, its rate
/// budget with TikTok, and its delivery record. Organizer grains call pixel grains; a pixel grain never
/// waits on its organizer (so the two can never deadlock).
/// </summary>
public interface IPixelGrain : IGrainWithStringKey
{
    /// <summary>The organizer hands the pixel its connection (on connect, update and token rotation).</summary>
    Task ConfigureAsync(ConnectionSecret connection, CancellationToken cancellationToken = default);

    /// <summary>Stores the events durably, then answers: accepted, duplicate or skipped, per event.</summary>
    /// <remarks>
    /// Interleaves with every call, so a pixel's concurrent requests are written side by side rather than one after
    /// another (a large batch's write keeps PostgreSQL busy for tens of milliseconds). The grain itself keeps apart
    /// what must not overlap an accept.
    /// </remarks>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<EventOutcome>> AcceptAsync(IReadOnlyList<PixelEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Test mode: stores and sends the event at once, alone, and answers with TikTok's code.</summary>
    Task<EventOutcome> SendTestAsync(PixelEvent pixelEvent, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<EventStatusView>> GetEventAsync(string eventId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<EventStatusView>> GetLatestAsync(int limit, CancellationToken cancellationToken = default);

    Task<PixelStatusView> GetStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>Events TikTok refused for good (or a disconnect stranded), newest first, hashed data only.</summary>
    Task<IReadOnlyList<DeadLetterView>> GetDeadLettersAsync(DeadLetterQuery query, bool includePayload, CancellationToken cancellationToken = default);

    /// <summary>Queues the selected dead letters again under their original event_id; too old ones are refused with the reason.</summary>
    Task<ReplayResult> ReplayAsync(ReplayRequest request, CancellationToken cancellationToken = default);

    /// <summary>The pixel's recent requests to TikTok, newest first, optionally with the exact body sent.</summary>
    Task<IReadOnlyList<RequestLogView>> GetRequestsAsync(RequestLogQuery query, CancellationToken cancellationToken = default);

    /// <summary>What the organizer's alerts ask a pixel with events waiting: how many, since when, and the day's budget left.</summary>
    Task<Alerts.PixelBacklog> GetBacklogAsync();

    /// <summary>Flushes what the budget allows, then gives up the rest as failed and forgets the connection.</summary>
    Task<DisconnectResult> DisconnectAsync(CancellationToken cancellationToken = default);
}
