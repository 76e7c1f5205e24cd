using System.Text.Json.Nodes;
using TikTokAds.Sandbox.State;
using static TikTokAds.Sandbox.Api.SandboxRequest;

namespace TikTokAds.Sandbox.Api;

/// <summary>The consent page, code exchange, and what a token may see of its advertisers.</summary>
internal static class OAuthApi
{
    /// <summary>
    /// GET portal/auth: TikTok's consent page. The sandbox consents at once, granting the user's (query sandbox_user,
    /// default "default") ad accounts, one in each of the 12 statuses, and redirects to redirect_uri with auth_code and state.
    /// </summary>
    public static IResult Authorize(HttpRequest request, SandboxState state)
    {
        var appId = request.Query["app_id"].ToString();
        var redirect = request.Query["redirect_uri"].ToString();
        if (appId != state.Options.AppId || !Uri.TryCreate(redirect, UriKind.Absolute, out var target))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown app_id or invalid redirect_uri.");
        }
        var user = request.Query["sandbox_user"].ToString();
        var code = state.AuthCodes.Issue(state.Grants.OAuthAdvertisersFor(user.Length is > 0 and <= 64 ? user : "default"));
        var separator = string.IsNullOrEmpty(target.Query) ? "?" : "&";
        return Results.Redirect($"{target}{separator}auth_code={code}&code={code}&state={Uri.EscapeDataString(request.Query["state"].ToString())}");
    }

    public static async Task<IResult> AccessTokenAsync(HttpRequest request, SandboxState state)
    {
        var requestId = Envelope.NewRequestId();
        var (body, parseError) = await ReadObjectAsync(request, requestId);
        if (parseError is not null)
        {
            return parseError;
        }
        if (String(body!["app_id"]) != state.Options.AppId || String(body["secret"]) != state.Options.AppSecret)
        {
            return Envelope.Error(40101, "Invalid app_id or secret.", requestId);
        }
        var (status, advertiserIds) = state.AuthCodes.Redeem(String(body["auth_code"]) ?? "", state.Options.AuthCodeLifetime);
        return status switch
        {
            AuthCodeState.Unknown => Envelope.Error(40110, "auth_code is invalid.", requestId),
            AuthCodeState.Used => Envelope.Error(40115, "auth_code has been used.", requestId),
            AuthCodeState.Expired => Envelope.Error(40115, "auth_code has expired.", requestId),
            _ => Issue(state, advertiserIds, requestId),
        };
    }

    private static IResult Issue(SandboxState state, IReadOnlyList<string> advertiserIds, string requestId)
    {
        var grant = state.Grants.Add(null, advertiserIds, advertiserIds.Select(PixelOf));
        return Envelope.Ok(new JsonObject
        {
            ["access_token"] = grant.AccessToken,
            ["advertiser_ids"] = new JsonArray([.. advertiserIds.Select(a => (JsonNode)a)]),
            ["scope"] = new JsonArray(1, 2, 3, 4, 10),
        }, requestId);
    }

    /// <summary>Each advertiser the consent page grants owns one pixel, so OAuth tokens can send events too.</summary>
    public static string PixelOf(string advertiserId) => $"PIXEL{advertiserId[^8..]}";

    public static IResult AuthorizedAdvertisers(HttpRequest request, SandboxState state)
    {
        var requestId = Envelope.NewRequestId();
        if (request.Query["app_id"] != state.Options.AppId || request.Query["secret"] != state.Options.AppSecret)
        {
            return Envelope.Error(40101, "Invalid app_id or secret.", requestId);
        }
        var (grant, error, _) = Authenticate(request, state, requestId);
        if (error is not null)
        {
            return error;
        }
        var list = new JsonArray([.. grant!.AdvertiserIds.Order(StringComparer.Ordinal).Select(id => (JsonNode)new JsonObject
        {
            ["advertiser_id"] = id,
            ["advertiser_name"] = state.Grants.Advertiser(id)?.Name,
        })]);
        return Envelope.Ok(new JsonObject { ["list"] = list }, requestId);
    }

    /// <summary>GET pixel/list/: the pixels this token may send to, for an advertiser it may operate.</summary>
    public static IResult Pixels(HttpRequest request, SandboxState state)
    {
        var (call, error) = OpenQuery(request, state);
        if (error is not null)
        {
            return error;
        }
        var code = request.Query["code"].ToString();
        var pixels = call!.Grant.PixelCodes.Where(p => code.Length == 0 || p == code).Order(StringComparer.Ordinal).ToList();
        var list = new JsonArray([.. pixels.Select(p => (JsonNode)new JsonObject { ["pixel_id"] = SandboxPixelIds.Of(p), ["pixel_code"] = p, ["pixel_name"] = $"Pixel {p}" })]);
        var pageInfo = new JsonObject { ["page"] = 1, ["page_size"] = 20, ["total_number"] = pixels.Count, ["total_page"] = 1 };
        return Envelope.Ok(new JsonObject { ["pixels"] = list, ["page_info"] = pageInfo }, call.RequestId);
    }

    public static IResult AdvertiserInfo(HttpRequest request, SandboxState state)
    {
        var requestId = Envelope.NewRequestId();
        var (grant, error, _) = Authenticate(request, state, requestId);
        if (error is not null)
        {
            return error;
        }
        var ids = StringArray(request.Query["advertiser_ids"]);
        if (ids.Count == 0)
        {
            return Envelope.Error(40002, "advertiser_ids is required.", requestId);
        }
        if (ids.FirstOrDefault(id => !grant!.AdvertiserIds.Contains(id)) is { } forbidden)
        {
            return Envelope.Error(40001, $"No permission to operate advertiser {forbidden}.", requestId);
        }
        var list = new JsonArray();
        foreach (var account in ids.Select(state.Grants.Advertiser).OfType<AdvertiserRecord>())
        {
            list.Add(new JsonObject
            {
                ["advertiser_id"] = account.AdvertiserId,
                ["name"] = account.Name,
                ["company"] = account.Company,
                ["status"] = account.Status,
                ["role"] = account.Role,
                ["currency"] = account.Currency,
                ["timezone"] = account.Timezone,
                ["country"] = account.Country,
            });
        }
        return Envelope.Ok(new JsonObject { ["list"] = list }, requestId);
    }
}
