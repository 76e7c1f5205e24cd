using TikTokAds.TikTok;

namespace TikTokAds.Grains;

/// <summary>TikTok calls made inside a grain turn, which must end well within the grain call timeout.</summary>
internal static class TikTokCalls
{
    /// <summary>
    /// Runs the call within <paramref name="budget"/>. Running out answers as the client's own timeout (a
    /// transient failure), so callers handle it like any other outage instead of catching. A caller that
    /// cancels gets the cancellation: nobody is left to read an answer.
    /// </summary>
    public static async Task<TikTokResponse<T>> WithinAsync<T>(TimeSpan budget, Func<CancellationToken, Task<TikTokResponse<T>>> call, CancellationToken cancellationToken = default)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cancellation.CancelAfter(budget);
        try
        {
            return await call(cancellation.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new TikTokResponse<T>(TikTokCodes.Timeout, $"TikTok did not answer within {budget.TotalSeconds:0} s.", null, 0, TikTokOutcome.Transient, default);
        }
    }
}
