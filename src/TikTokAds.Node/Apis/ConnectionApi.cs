using TikTokAds.Contracts;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Security;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Apis;

/// <summary>The seed's connection endpoints under /api/integrations/tiktok-ads.</summary>
internal static partial class ConnectionApi
{
    public static RouteGroupBuilder MapConnectionApi(this RouteGroupBuilder api)
    {
        api.MapGet("/connection", GetConnectionAsync).WithSummary("Connection status: connected, pixel_id, advertiser_id, test_mode, last_event_sent, and every pixel.");
        api.MapPost("/connect", ConnectAsync).WithSummary("Connects (or updates) a pixel after TikTok confirms the token; the token is stored encrypted and never returned. Without access_token, the organizer's OAuth authorization for the advertiser serves.");
        api.MapPost("/connection/{pixelId}/verify", VerifyAsync).WithSummary("Checks the stored token with TikTok now; a rejected token shows as reauthorization_required.");
        api.MapDelete("/connection/{pixelId}", DisconnectAsync).WithSummary("Disconnects a pixel; buffered events are flushed first, and any that could not be are reported.");
        return api;
    }

    public static async Task<Ok<ConnectionResponse>> GetConnectionAsync(ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var pixels = (await grains.Organizer(user.OrganizerId()).DescribeConnectionsAsync(cancellationToken)).Select(ToPixel).ToList();
        var first = pixels.FirstOrDefault();
        return TypedResults.Ok(new ConnectionResponse(
            first is not null, first?.PixelId, first?.AdvertiserId, first?.TestMode ?? false, pixels.Max(p => p.LastEventSent), first?.Status, pixels));
    }

    public static async Task<Results<Created<PixelConnection>, Ok<PixelConnection>, ValidationProblem, ProblemHttpResult, ProblemWithRetryAfter>> ConnectAsync(
        ConnectBody body, ClaimsPrincipal user, IGrainFactory grains, TokenProtector protector, ConnectionDirectory directory, CancellationToken cancellationToken)
    {
        var errors = Validate(body);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var organizerId = user.OrganizerId();
        var request = new ConnectRequest(
            body.PixelId!, body.AdvertiserId!, body.AccessToken is null ? null : protector.Protect(body.AccessToken, organizerId), body.TestMode ?? false,
            Blank(body.TestEventCode), Blank(body.DefaultCountryCode)?.TrimStart('+'),
            new EventToggles(body.TrackPurchases ?? true, body.TrackAddToCart ?? true, body.TrackCheckout ?? true, body.TrackRegistrations ?? true, body.AllowCustomEvents ?? true),
            new RateLimits(body.RequestsPerSecond ?? 10, body.EventsPerDay ?? 50_000));
        var result = await grains.Organizer(organizerId).ConnectAsync(request, cancellationToken);
        directory.Forget(organizerId);
        if (result.Outcome is ConnectOutcome.Connected or ConnectOutcome.Updated)
        {
            // A connected pixel is watched by its organizer's alert rules from now on.
            await grains.Alerts(organizerId).StartAsync(cancellationToken);
        }
        var tiktok = new Dictionary<string, object?> { ["tiktok_code"] = result.TikTokCode };
        return result.Outcome switch
        {
            ConnectOutcome.Connected => TypedResults.Created($"/api/integrations/tiktok-ads/connection", ToPixel(result.Connection!)),
            ConnectOutcome.Updated => TypedResults.Ok(ToPixel(result.Connection!)),
            ConnectOutcome.TokenRejected => Problems.Create(StatusCodes.Status422UnprocessableEntity, "tiktok_token_rejected", "TikTok rejected the access token", $"{result.Message} Nothing was saved; generate a new token in TikTok Events Manager or reauthorise.", tiktok),
            ConnectOutcome.AdvertiserNotPermitted => Problems.Create(StatusCodes.Status422UnprocessableEntity, "tiktok_advertiser_not_permitted", "The token cannot operate this advertiser", $"{result.Message} Nothing was saved.", tiktok),
            ConnectOutcome.PixelNotPermitted => Problems.Create(StatusCodes.Status422UnprocessableEntity, "tiktok_pixel_not_permitted", "The pixel does not belong to this advertiser and token", $"{result.Message} Nothing was saved.", tiktok),
            ConnectOutcome.TikTokUnavailable => Problems.Unavailable("tiktok_unavailable", $"{result.Message} Retry shortly.", retryAfterSeconds: 30),
            ConnectOutcome.NoAuthorization => Problems.Create(StatusCodes.Status422UnprocessableEntity, "no_authorization_for_advertiser", "No TikTok authorization grants this advertiser",
                $"{result.Message} Pass the pixel's access_token, or authorize TikTok (GET /oauth/start) with an account that includes the advertiser. Nothing was saved."),
            _ => Problems.NotFound("Unknown organizer."),
        };
    }

    public static async Task<Results<Ok<PixelConnection>, ProblemHttpResult, ProblemWithRetryAfter>> VerifyAsync(string pixelId, ClaimsPrincipal user, IGrainFactory grains, ConnectionDirectory directory, CancellationToken cancellationToken)
    {
        var result = await grains.Organizer(user.OrganizerId()).VerifyAsync(pixelId, cancellationToken);
        directory.Forget(user.OrganizerId());
        return result.Outcome switch
        {
            ConnectOutcome.NotConnected => Problems.PixelNotConnected(pixelId),
            ConnectOutcome.TikTokUnavailable => Problems.Unavailable("tiktok_unavailable", $"{result.Message} Retry shortly.", retryAfterSeconds: 30),
            _ => TypedResults.Ok(ToPixel(result.Connection!)),
        };
    }

    public static async Task<Results<Ok<DisconnectResponse>, ProblemHttpResult>> DisconnectAsync(string pixelId, ClaimsPrincipal user, IGrainFactory grains, ConnectionDirectory directory, CancellationToken cancellationToken)
    {
        var result = await grains.Organizer(user.OrganizerId()).DisconnectAsync(pixelId, cancellationToken);
        directory.Forget(user.OrganizerId());
        return result.Outcome == DisconnectOutcome.Disconnected
            ? TypedResults.Ok(new DisconnectResponse(true, pixelId, result.FlushedEvents, result.UndeliveredEvents, result.Message))
            : Problems.PixelNotConnected(pixelId);
    }

    private static Dictionary<string, string[]> Validate(ConnectBody body)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.PixelId is null || !PixelId().IsMatch(body.PixelId))
        {
            errors["pixel_id"] = ["The TikTok pixel code is required: 1 to 64 letters, digits, '_' or '-'."];
        }
        // Without a token the organizer's OAuth authorization for the advertiser serves.
        if (body.AccessToken is not null && (body.AccessToken.Length is 0 or > 512 || body.AccessToken.Any(char.IsWhiteSpace)))
        {
            errors["access_token"] = ["When given, the TikTok access token has 1 to 512 characters and no spaces; leave it out to use the organizer's TikTok authorization."];
        }
        if (body.AdvertiserId is null || !AdvertiserId().IsMatch(body.AdvertiserId))
        {
            errors["advertiser_id"] = ["The TikTok advertiser id is required: 1 to 32 digits."];
        }
        if (body.TestEventCode is { Length: > 64 })
        {
            errors["test_event_code"] = ["At most 64 characters."];
        }
        if (Blank(body.DefaultCountryCode) is { } cc && !CallingCode().IsMatch(cc))
        {
            errors["default_country_code"] = ["A country calling code such as 40 or +40 (1 to 3 digits)."];
        }
        if (body.RequestsPerSecond is < 1 or > 1000)
        {
            errors["requests_per_second"] = ["From 1 to 1,000 (TikTok's default per pixel is 10)."];
        }
        if (body.EventsPerDay is < 1 or > 100_000_000)
        {
            errors["events_per_day"] = ["From 1 to 100,000,000 (the seed's default is 50,000)."];
        }
        if (body.TestMode == true && Blank(body.TestEventCode) is null)
        {
            errors["test_event_code"] = ["Test mode needs the test_event_code from TikTok Events Manager → Test Events."];
        }
        return errors;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static PixelConnection ToPixel(ConnectionView c) => new(
        c.PixelId, c.AdvertiserId, c.Status, c.TestMode, c.TestEventCode, c.DefaultCountryCode,
        c.Toggles.TrackPurchases, c.Toggles.TrackAddToCart, c.Toggles.TrackCheckout, c.Toggles.TrackRegistrations, c.Toggles.AllowCustomEvents,
        c.Limits.RequestsPerSecond, c.Limits.EventsPerDay, c.ConnectedAt, c.UpdatedAt, c.LastEventSent, c.LastError);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex PixelId();

    [GeneratedRegex("^[0-9]{1,32}$")]
    private static partial Regex AdvertiserId();

    [GeneratedRegex(@"^\+?[0-9]{1,3}$")]
    private static partial Regex CallingCode();
}
