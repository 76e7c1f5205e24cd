using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace TikTokAds.Sandbox.State;

/// <summary>All the sandbox remembers, shared by its endpoints.</summary>
public sealed class SandboxState(IOptions<SandboxOptions> options, TimeProvider time)
{
    public SandboxOptions Options { get; } = options.Value;
    public TimeProvider Time { get; } = time;
    public Grants Grants { get; } = new(options.Value.Tokens);
    public EventLog Events { get; } = new(time);
    public PixelRateLimiter RateLimiter { get; } = new(time);
    public AudienceStore Audiences { get; } = new();
    public AdGroupStore AdGroups { get; } = new();
    public OAuthCodes AuthCodes { get; } = new(time);
    public LeadStore Leads { get; } = new();
    public FaultInjector Faults { get; } = new(options.Value.Faults);
    public EventRefusals Refusals { get; } = new();
    public PixelStatsBook Stats { get; } = new(options.Value.StatsDropShare);
    public EchoLog Echoes { get; } = new();

    /// <summary>Every API request by path, faulted ones included: what a client's retries really sent.</summary>
    public ConcurrentDictionary<string, long> Calls { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset Now => Time.GetUtcNow();

    public void Reset()
    {
        Events.Clear();
        RateLimiter.Clear();
        Audiences.Clear();
        AdGroups.Clear();
        Leads.Clear();
        Faults.Clear();
        Refusals.Clear();
        Calls.Clear();
        Stats.Clear();
        Echoes.Clear();
    }
}
