namespace TikTokAds.TikTok.Models;

public sealed record AccessTokenRequest(string AppId, string Secret, string AuthCode);

/// <summary>An advertiser token never expires; it ends when the advertiser de-authorises the app.</summary>
public sealed record AccessTokenResult(string? AccessToken, IReadOnlyList<string>? AdvertiserIds, IReadOnlyList<long>? Scope);

public sealed record AuthorizedAdvertiser(string? AdvertiserId, string? AdvertiserName);

public sealed record AuthorizedAdvertiserList(IReadOnlyList<AuthorizedAdvertiser>? List);

/// <summary>One ad account: status is one of TikTok's 12 STATUS_* values, role one of its 4 ROLE_* values.</summary>
public sealed record AdvertiserInfo
{
    public string? AdvertiserId { get; init; }
    public string? Name { get; init; }
    public string? Company { get; init; }
    public string? Status { get; init; }
    public string? Role { get; init; }
    public string? Currency { get; init; }
    public string? Timezone { get; init; }
    public string? Country { get; init; }
}

public sealed record AdvertiserInfoList(IReadOnlyList<AdvertiserInfo>? List);

/// <summary>The 12 account statuses seed 002 lists (TikTok's reference also has STATUS_PENDING_CONFIRM_MODIFY; any value is kept as given).</summary>
public static class AdvertiserStatuses
{
    public static readonly IReadOnlyList<string> All =
    [
        "STATUS_DISABLE", "STATUS_PENDING_CONFIRM", "STATUS_PENDING_VERIFIED", "STATUS_CONFIRM_FAIL",
        "STATUS_ENABLE", "STATUS_CONFIRM_FAIL_END", "STATUS_CONFIRM_MODIFY_FAIL", "STATUS_LIMIT",
        "STATUS_WAIT_FOR_BPM_AUDIT", "STATUS_WAIT_FOR_PUBLIC_AUTH", "STATUS_SELF_SERVICE_UNAUDITED", "STATUS_CONTRACT_PENDING",
    ];
}

public static class AdvertiserRoles
{
    public static readonly IReadOnlyList<string> All = ["ROLE_ADVERTISER", "ROLE_CHILD_ADVERTISER", "ROLE_CHILD_AGENT", "ROLE_AGENT"];
}
