namespace TikTokAds.Node.Apis;

public sealed record CreateOrganizerBody(string? Name);

/// <summary>The only time the key is shown.</summary>
public sealed record OrganizerCreated(string Id, string Name, string ApiKey, string KeyId, DateTimeOffset CreatedAt);

public sealed record OrganizerView(string Id, string Name, DateTimeOffset CreatedAt);

/// <summary>The only time the key is shown.</summary>
public sealed record IssuedKey(string KeyId, string ApiKey, string Prefix, DateTimeOffset CreatedAt);

public sealed record KeyView(string KeyId, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
