namespace TikTokAds.Sandbox.State;

/// <summary>An audience as TikTok keeps it: members are identifiers ("EMAIL_SHA256:…"), usable once processed.</summary>
public sealed class SandboxAudience(string audienceId, string advertiserId, string name, string type, string calculateType, DateTimeOffset createdAt, DateTimeOffset readyAt)
{
    public string AudienceId { get; } = audienceId;
    public string AdvertiserId { get; } = advertiserId;
    public string Name { get; set; } = name;

    /// <summary>SEGMENT (partner audience via mapping), CUSTOMER_FILE or LOOKALIKE.</summary>
    public string Type { get; } = type;

    public string CalculateType { get; } = calculateType;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public DateTimeOffset ReadyAt { get; } = readyAt;
    public HashSet<string> Members { get; } = new(StringComparer.Ordinal);
    public long LookalikeSize { get; set; }
    public string? SourceAudienceId { get; set; }
    public int Updates { get; set; }

    public bool IsReady(DateTimeOffset now) => now >= ReadyAt;

    public long Size => Type == "LOOKALIKE" ? LookalikeSize : Members.Count;
}
