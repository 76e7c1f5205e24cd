using System.Security.Claims;

namespace TikTokAds.Node.Auth;

/// <summary>
/// Who an organizer key's requests are: the organizer id as a claim, for ASP.NET Core's policies, and as a field,
/// read on every request without walking the claims. Made once per key and shared by that key's requests, so
/// nothing may add to it.
/// </summary>
internal sealed class OrganizerPrincipal(string organizerId)
    : ClaimsPrincipal(new ClaimsIdentity([new Claim(AuthSchemes.OrganizerClaim, organizerId)], AuthSchemes.ApiKey))
{
    public string OrganizerId { get; } = organizerId;
}
