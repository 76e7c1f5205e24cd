using Microsoft.Extensions.Options;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Leads;

namespace TikTokAds.Grains.Leads;

/// <summary>
/// One organizer's lead-to-ticket conversions. The CRM event is stored by the pixel before the lead is recorded
/// as converted: a crash between the two re-sends it with the same event id, which the pixel's and TikTok's
/// deduplication absorb. Pixels never wait for this grain, so it may call them.
/// </summary>
[Orleans.Placement.HashBasedPlacement]
public sealed class LeadConversionGrain(
    [PersistentState("lead-conversions", GrainStorage.Name)] IPersistentState<LeadConversionState> state,
    ILeadStore store,
    IOptions<LeadOptions> options,
    TimeProvider time) : Grain, ILeadConversionGrain
{
    // Most organizers have no lead ads: after finding no lead in the window, purchases skip the lookup until a
    // lead arrives (LeadArrivedAsync) or, should that message be lost, for at most this long.
    private static readonly TimeSpan LeadlessRecheck = TimeSpan.FromMinutes(1);
    private DateTimeOffset _leadlessUntil = DateTimeOffset.MinValue;

    private string OrganizerId => this.GetPrimaryKeyString();

    public Task LeadArrivedAsync()
    {
        _leadlessUntil = DateTimeOffset.MinValue;
        return Task.CompletedTask;
    }

    public async Task ObservePurchasesAsync(string pixelId, IReadOnlyList<LeadPurchase> purchases)
    {
        var window = options.Value.ConversionWindow;
        var now = time.GetUtcNow();
        var earliest = DateTimeOffset.FromUnixTimeSeconds(purchases.Min(p => p.EventTime));
        if (now < _leadlessUntil)
        {
            return;
        }
        if (!await store.AnySinceAsync(OrganizerId, earliest - window, CancellationToken.None))
        {
            _leadlessUntil = now + LeadlessRecheck;
            return;
        }
        var hashes = purchases.SelectMany(p => new[] { p.EmailSha256, p.PhoneSha256 }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var leads = await store.MatchAsync(OrganizerId, hashes, earliest - window, CancellationToken.None);
        var conversions = LeadConversions.Plan([.. state.State.Converted.Keys], leads, purchases, window);
        if (conversions.Count == 0)
        {
            return;
        }
        await GrainFactory.Pixel(OrganizerId, pixelId).AcceptAsync([.. conversions.Select(c => LeadConversions.CrmEvent(c.Lead, c.Purchase))]);
        var converted = new Dictionary<string, LeadConversionView>(state.State.Converted);
        foreach (var (lead, purchase) in conversions)
        {
            converted[lead.LeadId] = new LeadConversionView(lead.LeadId, pixelId, purchase.EventId, time.GetUtcNow());
        }
        await state.WriteAsync(state.State with { Converted = converted }, CancellationToken.None);
    }

    public Task<IReadOnlyList<LeadConversionView>> ListAsync()
        => Task.FromResult<IReadOnlyList<LeadConversionView>>([.. state.State.Converted.Values.OrderBy(c => c.ConvertedAt)]);
}
