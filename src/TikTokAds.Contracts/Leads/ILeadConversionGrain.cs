namespace TikTokAds.Contracts.Leads;

/// <summary>
/// Leads that later bought (key: organizer id). Pixels tell it about accepted purchases without waiting; a
/// purchase whose hashed phone or email is a lead's, within the window, sends TikTok one CRM event with the
/// lead id through that pixel, once per lead.
/// </summary>
public interface ILeadConversionGrain : IGrainWithStringKey
{
    [Orleans.Concurrency.OneWay]
    Task ObservePurchasesAsync(string pixelId, IReadOnlyList<LeadPurchase> purchases);

    /// <summary>A lead was stored: purchases are matched again even if the organizer had no lead a moment ago.</summary>
    [Orleans.Concurrency.OneWay]
    Task LeadArrivedAsync();

    /// <summary>The leads converted so far, with when.</summary>
    Task<IReadOnlyList<LeadConversionView>> ListAsync();
}

/// <summary>An accepted purchase as a lead match needs it: its time (Unix seconds) and hashes only.</summary>
[GenerateSerializer, Immutable]
public sealed record LeadPurchase(string EventName, string EventId, long EventTime, string? EmailSha256, string? PhoneSha256);

[GenerateSerializer, Immutable]
public sealed record LeadConversionView(string LeadId, string PixelId, string PurchaseEventId, DateTimeOffset ConvertedAt);
