namespace TikTokAds.Contracts.Organizers;

/// <summary>One API key, addressed by the SHA-256 of the key: who it belongs to, and whether it still works.</summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    Task RegisterAsync(string organizerId, string keyId, CancellationToken cancellationToken = default);

    /// <summary>The organizer, or null for an unknown or revoked key.</summary>
    Task<string?> ResolveAsync();

    Task RevokeAsync(CancellationToken cancellationToken = default);
}
