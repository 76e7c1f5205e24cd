using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Auth;

/// <summary>Organizer authentication: the organizer comes from the key, never from the body or the path.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyResolver resolver) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = AuthSchemes.PresentedKey(Request);
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }
        var organizerId = await resolver.ResolveAsync(key);
        if (organizerId is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }
        var identity = new ClaimsIdentity([new Claim(AuthSchemes.OrganizerClaim, organizerId)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        => Problems.WriteUnauthorizedAsync(Context, "A valid organizer API key is required: Authorization: Bearer <key> or X-Api-Key: <key>.");
}
