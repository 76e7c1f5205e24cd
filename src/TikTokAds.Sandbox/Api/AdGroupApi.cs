using System.Globalization;
using System.Text.Json.Nodes;
using TikTokAds.Sandbox.State;
using static TikTokAds.Sandbox.Api.SandboxRequest;

namespace TikTokAds.Sandbox.Api;

/// <summary>adgroup/get/ and dmp/custom_audience/apply/: the ad groups an audience can include or exclude.</summary>
internal static class AdGroupApi
{
    private const int MaxAdGroupsPerApply = 100;

    /// <summary>GET adgroup/get/: advertiser_id, page (default 1), page_size (1-1000, default 10), optional filtering {adgroup_ids}.</summary>
    public static IResult Get(HttpRequest request, SandboxState state)
    {
        var (call, error) = OpenQuery(request, state);
        if (error is not null)
        {
            return error;
        }
        var (_, _, advertiserId, requestId) = call!;
        var page = int.TryParse(request.Query["page"], CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var size = int.TryParse(request.Query["page_size"], CultureInfo.InvariantCulture, out var s) ? s : 10;
        if (size is < 1 or > 1000)
        {
            return Envelope.Error(40002, "page_size must be from 1 to 1000.", requestId);
        }
        IEnumerable<SandboxAdGroup> all = state.AdGroups.ForAdvertiser(advertiserId);
        if (Filter(request.Query["filtering"].ToString()) is { Count: > 0 } wanted)
        {
            all = all.Where(g => wanted.Contains(g.AdGroupId));
        }
        var groups = all.ToList();
        var list = new JsonArray([.. groups.Skip((page - 1) * size).Take(size).Select(g => (JsonNode)Describe(g))]);
        var pageInfo = new JsonObject { ["page"] = page, ["page_size"] = size, ["total_number"] = groups.Count, ["total_page"] = (groups.Count + size - 1) / size };
        return Envelope.Ok(new JsonObject { ["list"] = list, ["page_info"] = pageInfo }, requestId);
    }

    /// <summary>
    /// POST dmp/custom_audience/apply/: one audience, ad groups of the same advertiser, action_mode Apply or Disconnect,
    /// usage_mode Include or Exclude (required to apply). All or nothing: any bad ad group refuses the whole call.
    /// </summary>
    public static async Task<IResult> ApplyAsync(HttpRequest request, SandboxState state)
    {
        var (call, error) = await OpenBodyAsync(request, state);
        if (error is not null)
        {
            return error;
        }
        var (_, body, advertiserId, requestId) = call!;
        var audienceId = String(body["custom_audience_id"]);
        var audience = audienceId is null ? null : state.Audiences.Find(audienceId);
        if (audience is null || audience.AdvertiserId != advertiserId)
        {
            return Envelope.Error(40007, $"custom_audience_id {audienceId} does not exist for advertiser {advertiserId}.", requestId);
        }
        var action = String(body["action_mode"])?.ToUpperInvariant();
        if (action is not ("APPLY" or "DISCONNECT"))
        {
            return Envelope.Error(40002, "action_mode must be Apply or Disconnect.", requestId);
        }
        var usage = String(body["usage_mode"])?.ToUpperInvariant();
        if (action == "APPLY" && usage is not ("INCLUDE" or "EXCLUDE"))
        {
            return Envelope.Error(40002, "usage_mode must be Include or Exclude when action_mode is Apply.", requestId);
        }
        var ids = Strings(body["adgroup_ids"]) ?? [];
        if (ids.Count is 0 or > MaxAdGroupsPerApply)
        {
            return Envelope.Error(40002, $"adgroup_ids must list 1 to {MaxAdGroupsPerApply} ad group ids.", requestId);
        }
        foreach (var id in ids)
        {
            var group = state.AdGroups.Find(id);
            if (group is null)
            {
                return Envelope.Error(40007, $"Ad group {id} does not exist.", requestId);
            }
            if (group.AdvertiserId != advertiserId)
            {
                return Envelope.Error(40002, $"Ad group {id} does not belong to advertiser {advertiserId}; adgroup_ids and custom_audience_id must be under the same advertiser.", requestId);
            }
            if (action == "APPLY" && audience.Type == "LOOKALIKE" && group.IsReachAndFrequency)
            {
                return Envelope.Error(40002, $"A lookalike audience cannot be used in Reach & Frequency ad group {id}.", requestId);
            }
        }
        state.AdGroups.Set(audience.AudienceId, ids, action == "APPLY" ? usage : null, state.Now);
        return Envelope.Ok(requestId: requestId);
    }

    public static JsonObject Describe(SandboxAdGroup group) => new()
    {
        ["adgroup_id"] = group.AdGroupId,
        ["adgroup_name"] = group.Name,
        ["advertiser_id"] = group.AdvertiserId,
        ["campaign_id"] = group.CampaignId,
        ["operation_status"] = group.OperationStatus,
        ["buying_type"] = group.BuyingType,
    };

    private static HashSet<string> Filter(string filtering)
    {
        try
        {
            return filtering.Length > 0 && JsonNode.Parse(filtering) is JsonObject filter ? [.. Strings(filter["adgroup_ids"]) ?? []] : [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }
}
