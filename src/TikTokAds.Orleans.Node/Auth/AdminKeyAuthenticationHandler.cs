using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TikTokAds.Orleans.Node.Gateway;

namespace TikTokAds.Orleans.Node.Auth;

/// <summary>
/// Operator authentication with Admin:ApiKey, as a bearer token or as the password of HTTP basic auth
/// (so a browser's login prompt works for the dashboard).
/// </summary>
internal sealed class AdminKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AdminOptions> admin) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var expected = admin.Value.ApiKey;
        var presented = Presented();
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (string.IsNullOrEmpty(expected) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected)))
        {
            return Task.FromResult(AuthenticateResult.Fail("Wrong operator key."));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, "operator")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.Append("WWW-Authenticate", "Basic realm=\"TikTokAds operator\", charset=\"UTF-8\"");
        return Problems.WriteUnauthorizedAsync(Context, string.IsNullOrEmpty(admin.Value.ApiKey)
            ? "The operator API is disabled: set Admin:ApiKey (Admin__ApiKey)."
            : "The operator key is required: Authorization: Bearer <Admin:ApiKey>.");
    }

    private string? Presented()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon >= 0 ? decoded[(colon + 1)..] : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
        return AuthSchemes.PresentedKey(Request);
    }
}
