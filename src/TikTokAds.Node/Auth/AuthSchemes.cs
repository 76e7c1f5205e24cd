namespace TikTokAds.Node.Auth;

internal static class AuthSchemes
{
    public const string ApiKey = "ApiKey";
    public const string Admin = "AdminKey";
    public const string OrganizerPolicy = "organizer";
    public const string AdminPolicy = "admin";
    public const string OrganizerClaim = "organizer_id";
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The key from "Authorization: Bearer {key}" or "X-Api-Key: {key}".</summary>
    public static string? PresentedKey(Microsoft.AspNetCore.Http.HttpRequest request)
        => TryGetPresentedKey(request, out var key) ? key.ToString() : null;

    /// <summary><see cref="PresentedKey"/> without copying the key out of its header.</summary>
    public static bool TryGetPresentedKey(Microsoft.AspNetCore.Http.HttpRequest request, out ReadOnlySpan<char> key)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = authorization.AsSpan("Bearer ".Length).Trim();
            return true;
        }
        var header = request.Headers[ApiKeyHeader].ToString();
        key = header.AsSpan().Trim();
        return header.Length > 0;
    }

    public static string OrganizerId(this System.Security.Claims.ClaimsPrincipal user)
        => user.OrganizerIdOrNull() ?? throw new InvalidOperationException("No organizer on an authenticated request.");

    /// <summary>The organizer of an authenticated request, or null.</summary>
    public static string? OrganizerIdOrNull(this System.Security.Claims.ClaimsPrincipal user)
        => (user as OrganizerPrincipal)?.OrganizerId ?? user.FindFirst(OrganizerClaim)?.Value;
}
