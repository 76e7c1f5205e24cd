using TikTokAds.Contracts;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Apis;

/// <summary>Organizer and key administration, shared by the admin API and the CLI.</summary>
internal sealed class OrganizerAdministration(IGrainFactory grains, ApiKeyResolver resolver, ILogger<OrganizerAdministration> logger)
{
    public async Task<OrganizerCreated> CreateOrganizerAsync(string name)
    {
        var id = $"org_{Guid.NewGuid():N}"[..20];
        var organizer = await grains.Organizer(id).CreateAsync(name.Trim());
        GatewayLog.OrganizerCreated(logger, id);
        var key = await IssueKeyAsync(id);
        return new OrganizerCreated(organizer.Id, organizer.Name, key!.ApiKey, key.KeyId, organizer.CreatedAt);
    }

    public Task<IReadOnlyList<OrganizerInfo>> ListOrganizersAsync()
        => grains.OrganizerDirectory().ListAsync();

    public Task<OrganizerInfo?> GetOrganizerAsync(string organizerId) => grains.Organizer(organizerId).GetAsync();

    /// <summary>A new key, shown this once; null when the organizer does not exist.</summary>
    public async Task<IssuedKey?> IssueKeyAsync(string organizerId)
    {
        var (key, record) = ApiKeys.Generate();
        var info = await grains.Organizer(organizerId).AddKeyAsync(record);
        if (info is null)
        {
            return null;
        }
        GatewayLog.KeyIssued(logger, info.KeyId, organizerId);
        return new IssuedKey(info.KeyId, key, info.Prefix, info.CreatedAt);
    }

    public async Task<IReadOnlyList<KeyView>?> ListKeysAsync(string organizerId)
    {
        var organizer = grains.Organizer(organizerId);
        if (await organizer.GetAsync() is null)
        {
            return null;
        }
        return [.. (await organizer.ListKeysAsync()).Select(k => new KeyView(k.KeyId, k.Prefix, k.CreatedAt, k.RevokedAt))];
    }

    /// <summary>Re-encrypts every organizer's stored tokens under Security:ActiveTokenKeyId.</summary>
    public async Task<(int Organizers, int Tokens)> RotateTokensAsync()
    {
        var organizers = await ListOrganizersAsync();
        var tokens = 0;
        foreach (var organizer in organizers)
        {
            tokens += await grains.Organizer(organizer.Id).RotateTokensAsync();
        }
        return (organizers.Count, tokens);
    }

    public async Task<bool> RevokeKeyAsync(string organizerId, string keyId)
    {
        var hash = await grains.Organizer(organizerId).RevokeKeyAsync(keyId);
        if (hash is null)
        {
            return false;
        }
        resolver.Forget(hash);
        GatewayLog.KeyRevoked(logger, keyId, organizerId);
        return true;
    }
}
