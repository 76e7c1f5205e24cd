using TikTokAds.Contracts.Leads;

namespace TikTokAds.Grains.Leads;

public sealed record LeadInboxState
{
    public string? CallbackUrl { get; init; }

    /// <summary>The secret call-backs are signed with, AES-GCM ciphertext.</summary>
    public string? ProtectedSigningSecret { get; init; }

    public IReadOnlyDictionary<string, LeadAdRecord> Ads { get; init; } = new Dictionary<string, LeadAdRecord>();

    public IReadOnlyDictionary<string, LeadFormRecord> Forms { get; init; } = new Dictionary<string, LeadFormRecord>();

    public IReadOnlyList<LeadSubscriptionView> Subscriptions { get; init; } = [];

    /// <summary>The latest lead-task exports, newest last.</summary>
    public IReadOnlyList<LeadPullView> Pulls { get; init; } = [];

    /// <summary>The last refusal TikTok gave this integration (subscribe, pull or forms), cleared by a success.</summary>
    public LeadTikTokProblem? TikTokProblem { get; init; }

    /// <summary>Whether the "forward" reminder is registered: it exists exactly while leads wait to be forwarded.</summary>
    public bool ForwardReminderOn { get; init; }
}

public sealed record LeadAdRecord(string AdId, string AdvertiserId, string? FormName, IReadOnlyDictionary<string, string> Utm, string? TextTemplate, bool Enabled, DateTimeOffset UpdatedAt);

public sealed record LeadFormRecord(string PageId, string AdvertiserId, string? Title, string? Status, DateTimeOffset SyncedAt);

public sealed record LeadTikTokProblem(string Code, int TikTokCode, string Detail, DateTimeOffset At);
