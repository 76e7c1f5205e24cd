using System.Text.Json;
using System.Threading.Channels;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Audiences;

/// <summary>
/// An upload phase's chunks sent ahead of their settlement: at most <c>inFlight</c> requests at TikTok at
/// once and at most <c>ahead</c> chunks sent but not yet stored. Answers are settled strictly in the order
/// sent, so stored progress never passes a chunk TikTok has not taken; once one is not taken, nothing more
/// is sent and the answers still to come are handed to <c>drain</c>.
/// </summary>
public sealed class ChunkPipeline(int inFlight, int ahead)
{
    public delegate Task<AudienceSyncStep?> NextStep(AudienceSyncStep previous);

    public delegate Task<TikTokResponse<JsonElement>?> Send(AudienceSyncStep step);

    /// <summary>Settles one answer; false stops the pipeline.</summary>
    public delegate Task<bool> Settle(AudienceSyncStep step, TikTokResponse<JsonElement>? answer);

    public delegate Task Drain(AudienceSyncStep step, TikTokResponse<JsonElement>? answer);

    public async Task RunAsync(AudienceSyncStep first, NextStep next, Send send, Settle settle, Drain drain, CancellationToken cancellationToken)
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
                if (stopped)
                {
                    await drain(step, await answer);
                }
                else if (!await settle(step, await answer))
                {
                    stopped = true;
                }
                unsettled.Release();
            }
        }
        finally
        {
            // A failed settlement must not leave the producer sending on its own.
            stopped = true;
            await done.CancelAsync();
        }
        await producer;
    }
}
