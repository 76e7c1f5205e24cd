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
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }
        var header = request.Headers[ApiKeyHeader].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }

    public static string OrganizerId(this System.Security.Claims.ClaimsPrincipal user)
        => user.FindFirst(OrganizerClaim)?.Value ?? throw new InvalidOperationException("No organizer on an authenticated request.");
}
