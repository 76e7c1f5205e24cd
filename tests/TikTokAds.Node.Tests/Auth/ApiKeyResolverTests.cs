using Microsoft.Extensions.Options;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Tests.Auth;

/// <summary>The per-node memory of organizer keys: one principal per key, each key its own organizer, a revoke forgets.</summary>
public sealed class ApiKeyResolverTests
{
    private const string KeyA = "tta_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string KeyB = "tta_ba9876543210_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

    private readonly Dictionary<string, string?> _organizers = new()
    {
        [ApiKeys.Hash(KeyA)] = "org_a",
        [ApiKeys.Hash(KeyB)] = "org_b",
    };

    private readonly List<string> _lookups = [];

    private ApiKeyResolver NewResolver(TimeSpan ttl, Func<string, Task<string?>>? lookUp = null)
        => new(lookUp ?? (hash =>
        {
            _lookups.Add(hash);
            return Task.FromResult(_organizers.GetValueOrDefault(hash));
        }), Options.Create(new GatewayOptions { ApiKeyCacheTtl = ttl }));

    private static async Task<string?> OrganizerOfAsync(ApiKeyResolver resolver, string key)
        => await resolver.AuthenticateAsync(key) is { } answer ? ((OrganizerPrincipal)(await answer).Principal!).OrganizerId : null;

    [Fact]
    public async Task A_key_seen_before_answers_with_the_same_principal_without_a_lookup()
    {
        var resolver = NewResolver(TimeSpan.FromMinutes(1));

        var first = await (await resolver.AuthenticateAsync(KeyA))!;
        var second = await (await resolver.AuthenticateAsync(KeyA))!;

        Assert.Same(first.Principal, second.Principal);
        Assert.Equal([ApiKeys.Hash(KeyA)], _lookups);
        Assert.Equal("org_a", first.Principal!.OrganizerId());
        Assert.Equal("org_a", first.Principal!.FindFirst(AuthSchemes.OrganizerClaim)?.Value);
        Assert.Equal(AuthSchemes.ApiKey, first.Ticket!.AuthenticationScheme);
    }

    [Fact]
    public async Task Each_key_answers_with_its_own_organizer()
    {
        var resolver = NewResolver(TimeSpan.FromMinutes(1));

        var a = await OrganizerOfAsync(resolver, KeyA);
        var b = await OrganizerOfAsync(resolver, KeyB);
        var aAgain = await OrganizerOfAsync(resolver, KeyA);
        var bAgain = await OrganizerOfAsync(resolver, KeyB);

        Assert.Equal<string?[]>(["org_a", "org_b", "org_a", "org_b"], [a, b, aAgain, bAgain]);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("tta_short")]
    [InlineData("tta_0123456789ab_CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC")]
    public async Task Malformed_and_unknown_keys_have_no_answer(string key)
    {
        var resolver = NewResolver(TimeSpan.FromMinutes(1));

        Assert.Null(await resolver.AuthenticateAsync(key));
        Assert.Null(await resolver.AuthenticateAsync(key));
    }

    [Fact]
    public async Task A_revoked_key_is_forgotten_at_once()
    {
        var resolver = NewResolver(TimeSpan.FromMinutes(1));
        var before = await OrganizerOfAsync(resolver, KeyA);

        _organizers[ApiKeys.Hash(KeyA)] = null;
        resolver.Forget(ApiKeys.Hash(KeyA));
        var after = await OrganizerOfAsync(resolver, KeyA);

        Assert.Equal("org_a", before);
        Assert.Null(after);
    }

    [Fact]
    public async Task An_answer_looked_up_before_a_revoke_is_not_remembered_after_it()
    {
        var held = new TaskCompletionSource<string?>();
        var lookups = 0;
        var resolver = NewResolver(TimeSpan.FromMinutes(1), _ => Interlocked.Increment(ref lookups) == 1 ? held.Task : Task.FromResult<string?>(null));

        var inFlight = resolver.AuthenticateAsync(KeyA).AsTask();
        resolver.Forget(ApiKeys.Hash(KeyA));
        held.SetResult("org_a");
        await inFlight;
        var next = await resolver.AuthenticateAsync(KeyA);

        Assert.Null(next);
        Assert.Equal(2, lookups);
    }

    [Fact]
    public async Task Without_a_ttl_every_request_looks_the_key_up()
    {
        var resolver = NewResolver(TimeSpan.Zero);

        await OrganizerOfAsync(resolver, KeyA);
        await OrganizerOfAsync(resolver, KeyA);

        Assert.Equal(2, _lookups.Count);
    }

    [Theory]
    [InlineData(KeyA)]
    [InlineData("tta_ünïcödé_key_with_more_than_twenty_chars")]
    public void The_digest_is_the_stored_key_hash(string key)
    {
        var digest = ApiKeyResolver.KeyDigest.Of(key);

        Assert.Equal(ApiKeys.Hash(key), digest.ToHex());
        Assert.Equal(digest, ApiKeyResolver.KeyDigest.FromHex(ApiKeys.Hash(key)));
    }
}
