using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Grains.Organizers;

public sealed record ApiKeyState
{
    public string? OrganizerId { get; init; }
    public string? KeyId { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
}

/// <summary>Keyed by the key's SHA-256, so a lookup never needs the key itself, and a revoke is seen by every node at once.</summary>
public sealed class ApiKeyGrain([PersistentState("apikey", GrainStorage.Name)] IPersistentState<ApiKeyState> state, TimeProvider time) : Grain, IApiKeyGrain
{
    public async Task RegisterAsync(string organizerId, string keyId, CancellationToken cancellationToken)
    {
        await state.WriteAsync(new ApiKeyState { OrganizerId = organizerId, KeyId = keyId }, cancellationToken);
    }

    public Task<string?> ResolveAsync() => Task.FromResult(state.State.RevokedAt is null ? state.State.OrganizerId : null);

    public async Task RevokeAsync(CancellationToken cancellationToken)
    {
        if (state.State.OrganizerId is not null && state.State.RevokedAt is null)
        {
            await state.WriteAsync(state.State with { RevokedAt = time.GetUtcNow() }, cancellationToken);
        }
    }
}
