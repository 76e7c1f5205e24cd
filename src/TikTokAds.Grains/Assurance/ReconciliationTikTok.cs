using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Security;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Assurance;

/// <summary>
/// The reconciliation grain's calls to TikTok: the pixel's numeric id from pixel/list (once), then
/// pixel/event/stats/ one UTC day at a time, because TikTok sums a range into one figure per event type.
/// All calls together stay within <see cref="Budget"/>; the token is decrypted for the calls only.
/// </summary>
public sealed class ReconciliationTikTok(TikTokBusinessClient tiktok, TokenProtector protector)
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    public async Task<StatsFetch> FetchAsync(string organizerId, ConnectionSecret secret, TikTokPixelRef? known, IReadOnlyList<DateOnly> days, CancellationToken cancellationToken)
    {
        var advertiserId = secret.Connection.AdvertiserId;
        var pixelCode = secret.Connection.PixelId;
        var fetched = new Dictionary<DateOnly, IReadOnlyList<PixelEventTypeStats>>();
        var pixel = known?.AdvertiserId == advertiserId ? known : null;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        try
        {
            var token = protector.Unprotect(secret.ProtectedToken, organizerId);
            if (pixel is null)
            {
                var listed = await tiktok.ListPixelsAsync(token, advertiserId, pixelCode, budget.Token);
                if (!listed.IsSuccess)
                {
                    return new StatsFetch(null, fetched, listed.Code, listed.Message, listed.Outcome, listed.RequestId);
                }
                if (listed.Data?.Pixels?.FirstOrDefault(p => p.PixelCode == pixelCode)?.PixelId is not { Length: > 0 } pixelId)
                {
                    return new StatsFetch(null, fetched, TikTokCodes.NoPermission, $"TikTok does not list pixel {pixelCode} for advertiser {advertiserId} and this token.", TikTokOutcome.Authorization, listed.RequestId);
                }
                pixel = new TikTokPixelRef(advertiserId, pixelId);
            }
            foreach (var day in days)
            {
                var answer = await tiktok.GetPixelEventStatsAsync(token, advertiserId, [pixel.PixelId], day, day, budget.Token);
                if (!answer.IsSuccess)
                {
                    return new StatsFetch(pixel, fetched, answer.Code, answer.Message, answer.Outcome, answer.RequestId);
                }
                fetched[day] = answer.Data?.List?.FirstOrDefault(p => p.PixelId == pixel.PixelId)?.Statistics ?? [];
            }
            return new StatsFetch(pixel, fetched, TikTokCodes.Ok, "OK", TikTokOutcome.Success, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new StatsFetch(pixel, fetched, TikTokCodes.Timeout, $"TikTok did not answer every day within {Budget.TotalSeconds:0} s; the days answered were kept.", TikTokOutcome.Transient, null);
        }
    }
}

/// <summary>TikTok's counts per day fetched (all asked for unless the run stopped), and why it stopped.</summary>
public sealed record StatsFetch(
    TikTokPixelRef? Pixel, IReadOnlyDictionary<DateOnly, IReadOnlyList<PixelEventTypeStats>> Days, int Code, string Message, TikTokOutcome Outcome, string? RequestId);
