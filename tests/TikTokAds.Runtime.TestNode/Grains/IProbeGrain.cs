using TikTokAds.Runtime;

namespace TikTokAds.Runtime.TestNode.Grains;

/// <summary>Reports where it runs, keeps a durable value, counts reminder ticks and records its deactivations.</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    Task<ProbeInfo> WhereAsync();

    Task<ProbeState> SetValueAsync(long value);

    Task<ProbeState> GetStateAsync();

    Task StartReminderAsync(TimeSpan period);

    /// <summary>Writes with the ETag this activation read, after someone else wrote: must conflict.</summary>
    Task WriteWithStaleEtagAsync();
}

public sealed record ProbeInfo(string Key, string NodeId, Guid ActivationId);

public sealed class ProbeState
{
    public long Value { get; set; }
    public int ReminderTicks { get; set; }
    public List<string> Deactivations { get; set; } = [];
}
