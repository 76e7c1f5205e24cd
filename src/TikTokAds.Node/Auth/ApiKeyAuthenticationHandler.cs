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
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthSchemes.TryGetPresentedKey(Request, out var key))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        // A key seen recently answers without a grain call and without a new principal.
        var resolving = resolver.AuthenticateAsync(key);
        return resolving.IsCompletedSuccessfully ? resolving.Result ?? Unknown() : AwaitAsync(resolving);
    }

    private static async Task<AuthenticateResult> AwaitAsync(ValueTask<Task<AuthenticateResult>?> resolving)
        => await ((await resolving) ?? Unknown());

    private static Task<AuthenticateResult> Unknown() => Task.FromResult(AuthenticateResult.Fail("Unknown or revoked API key."));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        => Problems.WriteUnauthorizedAsync(Context, "A valid organizer API key is required: Authorization: Bearer <key> or X-Api-Key: <key>.");
}
