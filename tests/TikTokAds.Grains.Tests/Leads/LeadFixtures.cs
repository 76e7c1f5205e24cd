using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts.Leads;
using TikTokAds.Grains.Leads;
using TikTokAds.Grains.Security;

namespace TikTokAds.Grains.Tests.Leads;

/// <summary>An inbox, its leads and the services plain lead classes need, without Orleans.</summary>
internal static class LeadFixtures
{
    public const string Organizer = "org_1";
    public const string Advertiser = "7000000001";
    public const string Ad = "1800000000000000001";
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static TokenProtector Protector { get; } = new(Options.Create(new TokenProtectionOptions()), NullLogger<TokenProtector>.Instance);

    public static LeadInboxState Inbox(bool enabled = true, string? callbackUrl = "https://crm.example/leads", string? secret = null) => new()
    {
        CallbackUrl = callbackUrl,
        ProtectedSigningSecret = secret is null ? null : Protector.Protect(secret, Organizer),
        Ads = new Dictionary<string, LeadAdRecord>
        {
            [Ad] = new(Ad, Advertiser, "Festival pass", new Dictionary<string, string> { ["utm_source"] = "tiktok" }, "Call {Full_Name} back about {form_name}", enabled, Now),
        },
    };

    public static LeadRecord Lead(string leadId = "7301", string? adId = Ad, int attempts = 0, IReadOnlyDictionary<string, string>? answers = null)
    {
        var incoming = LeadAnswers.Incoming(Organizer, Protector, leadId, Advertiser, "pg_1", adId, "Spring ad", null, "Spring", null, null, Now, LeadSources.Webhook,
            answers ?? new Dictionary<string, string> { ["full_name"] = "Ana Pop", ["phone_number"] = "+40721234567" });
        return LeadIntake.Record(Organizer, incoming, Inbox(), null, Now) with { Attempts = attempts };
    }

    public static LeadOptions Settings(TimeSpan? timeout = null) => new()
    {
        CallbackTimeout = timeout ?? TimeSpan.FromSeconds(5),
        RetryBaseDelay = TimeSpan.FromSeconds(5),
        RetryMaxDelay = TimeSpan.FromMinutes(30),
        MaxAttempts = 3,
    };

    public static LeadForwarder Forwarder(ILeadStore store, IHttpClientFactory receiver, LeadOptions? options = null)
        => new(store, receiver, Protector, Options.Create(options ?? Settings()), new FixedTime(Now), new DomainMetrics(new Meters()), NullLogger<LeadForwarder>.Instance);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class Meters : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
