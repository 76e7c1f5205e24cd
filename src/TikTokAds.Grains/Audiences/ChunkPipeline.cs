using System.Text.Json;
using System.Threading.Channels;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Audiences;

/// <summary>
/// An upload phase's chunks sent ahead of their settlement: at most <c>inFlight</c> requests at TikTok at
/// once and at most <c>ahead</c> chunks sent but not yet settled. Answers are settled strictly in the order
/// sent, so settled progress never passes a chunk TikTok has not taken (what a settlement stores is the
/// caller's: <see cref="TakenChunks"/>). Once one is not taken, nothing more is sent; the answers still to come
/// are awaited and not settled.
/// </summary>
public sealed class ChunkPipeline(int inFlight, int ahead)
{
    public delegate Task<AudienceSyncStep?> NextStep(AudienceSyncStep previous);

    public delegate Task<TikTokResponse<JsonElement>?> Send(AudienceSyncStep step);

    /// <summary>Settles one answer; false stops the pipeline.</summary>
    public delegate Task<bool> Settle(AudienceSyncStep step, TikTokResponse<JsonElement>? answer);

    public async Task RunAsync(AudienceSyncStep first, NextStep next, Send send, Settle settle, CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sending = new SemaphoreSlim(inFlight);
        using var unsettled = new SemaphoreSlim(ahead);
        var sent = Channel.CreateUnbounded<(AudienceSyncStep Step, Task<TikTokResponse<JsonElement>?> Answer)>();
        var stopped = false;

        async Task<TikTokResponse<JsonElement>?> SendAsync(AudienceSyncStep step)
        {
            try
            {
                return await send(step);
            }
            finally
            {
                sending.Release();
            }
        }

        async Task ProduceAsync()
        {
            try
            {
                for (AudienceSyncStep? step = first; step is not null; step = await next(step))
                {
                    await unsettled.WaitAsync(done.Token);
                    await sending.WaitAsync(done.Token);
                    if (stopped)
                    {
                        return;
                    }
                    sent.Writer.TryWrite((step, SendAsync(step)));
                }
            }
            finally
            {
                sent.Writer.TryComplete();
            }
        }

        var producer = ProduceAsync();
        try
        {
            await foreach (var (step, answer) in sent.Reader.ReadAllAsync(cancellationToken))
            {
                var taken = await answer;
                if (!stopped && !await settle(step, taken))
                {
                    stopped = true;
                }
                unsettled.Release();
            }
        }
        catch
        {
            // A failed settlement stops the producer, and nothing this run started outlives it: the chunks still at
            // TikTok finish (their own failures give way to this one's).
            stopped = true;
            await done.CancelAsync();
            await QuietlyAsync(producer);
            while (sent.Reader.TryRead(out var rest))
            {
                await QuietlyAsync(rest.Answer);
            }
            throw;
        }
        await producer;
    }

    /// <summary>Waits for a task on the caller's scheduler (the grain's), its failure observed and dropped.</summary>
    private static async Task QuietlyAsync(Task task)
    {
        await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        _ = task.Exception;
    }
}
