using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Auth;

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
        if (presented is null && !string.IsNullOrEmpty(expected) && Request.Cookies.TryGetValue(Dashboard.DashboardApi.CookieName, out var session) && Matches(session, SessionValue(expected)))
        {
            presented = expected;
        }
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (string.IsNullOrEmpty(expected) || !Matches(presented, expected))
        {
            return Task.FromResult(AuthenticateResult.Fail("Wrong operator key."));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, "operator")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    public static bool Matches(string presented, string expected)
        => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    /// <summary>The dashboard's session cookie: an HMAC of a fixed label under the operator key, so the key itself never sits in a cookie.</summary>
    public static string SessionValue(string operatorKey)
        => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(operatorKey), "tiktokads-dashboard-session"u8));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Request.Path.StartsWithSegments("/dashboard") && Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal))
        {
            Response.Redirect("/dashboard/login");
            return Task.CompletedTask;
        }
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
