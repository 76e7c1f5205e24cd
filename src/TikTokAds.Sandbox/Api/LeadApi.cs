using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TikTokAds.Sandbox.State;
using static TikTokAds.Sandbox.Api.SandboxRequest;

namespace TikTokAds.Sandbox.Api;

/// <summary>Lead forms, lead export tasks and their download, and LEAD webhook subscriptions.</summary>
internal static class LeadApi
{
    public static async Task<IResult> TaskAsync(HttpRequest request, SandboxState state)
    {
        var (call, error) = await OpenBodyAsync(request, state);
        if (error is not null)
        {
            return error;
        }
        var (_, body, advertiserId, requestId) = call!;
        LeadTask? task;
        if (String(body["task_id"]) is { } taskId)
        {
            task = state.Leads.Task(taskId);
            if (task is null || task.AdvertiserId != advertiserId)
            {
                return Envelope.Error(40007, $"Task {taskId} does not exist.", requestId);
            }
            task.Polls++;
        }
        else
        {
            var pageId = String(body["page_id"]);
            var adId = String(body["ad_id"]);
            if (pageId is null && adId is null)
            {
                return Envelope.Error(40002, "page_id or ad_id is required.", requestId);
            }
            task = state.Leads.CreateTask(advertiserId, pageId, adId, state.Now);
        }
        return Envelope.Ok(new JsonObject { ["task_id"] = task.TaskId, ["status"] = task.Status }, requestId);
    }

    /// <summary>The leads of a finished task as CSV; before it finishes, 40002.</summary>
    public static IResult Download(HttpRequest request, SandboxState state)
    {
        var (call, error) = OpenQuery(request, state);
        if (error is not null)
        {
            return error;
        }
        var requestId = call!.RequestId;
        var task = state.Leads.Task(request.Query["task_id"].ToString());
        if (task is null || task.AdvertiserId != call.AdvertiserId)
        {
            return Envelope.Error(40007, "Task does not exist for this advertiser.", requestId);
        }
        if (task.Status != "SUCCEED")
        {
            return Envelope.Error(40002, $"Task {task.TaskId} is {task.Status}; download it once it SUCCEEDs.", requestId);
        }
        var leads = state.Leads.LeadsFor(task);
        var fields = leads.SelectMany(l => l.Fields.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var csv = new StringBuilder();
        csv.AppendJoin(',', ((string[])["lead_id", "created_time", "ad_id", "page_id"]).Concat(fields)).Append('\n');
        foreach (var lead in leads)
        {
            var cells = new[] { lead.LeadId, lead.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), lead.AdId, lead.PageId }
                .Concat(fields.Select(f => lead.Fields.GetValueOrDefault(f) ?? ""));
            csv.AppendJoin(',', cells.Select(Quote)).Append('\n');
        }
        return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"leads_{task.TaskId}.csv");
    }

    public static IResult Forms(HttpRequest request, SandboxState state)
    {
        var (call, error) = OpenQuery(request, state);
        if (error is not null)
        {
            return error;
        }
        var (_, _, advertiserId, requestId) = call!;
        if (request.Query["business_type"] != "LEAD_GEN")
        {
            return Envelope.Error(40002, "business_type must be LEAD_GEN for instant forms.", requestId);
        }
        var forms = state.Leads.Forms(advertiserId);
        var list = new JsonArray([.. forms.Select(f => (JsonNode)new JsonObject
        {
            ["page_id"] = f.PageId,
            ["title"] = f.Title,
            ["status"] = "PUBLISHED",
            ["create_time"] = f.CreatedAt.ToUnixTimeSeconds(),
        })]);
        var pageInfo = new JsonObject { ["page"] = 1, ["page_size"] = Math.Max(forms.Count, 1), ["total_number"] = forms.Count, ["total_page"] = 1 };
        return Envelope.Ok(new JsonObject { ["list"] = list, ["page_info"] = pageInfo }, requestId);
    }

    public static async Task<IResult> SubscribeAsync(HttpRequest request, SandboxState state)
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
        if (String(body["subscribe_entity"]) != "LEAD")
        {
            return Envelope.Error(40002, "subscribe_entity must be LEAD.", requestId);
        }
        if (!Uri.TryCreate(String(body["callback_url"]), UriKind.Absolute, out var callback))
        {
            return Envelope.Error(40002, "callback_url must be an absolute URL.", requestId);
        }
        if (body["subscription_detail"] is not JsonObject detail)
        {
            return Envelope.Error(40002, "subscription_detail is required.", requestId);
        }
        var grant = state.Grants.Find(String(detail["access_token"]));
        if (grant is null)
        {
            return Envelope.Error(40105, "subscription_detail.access_token is incorrect or has been revoked.", requestId);
        }
        var advertiserId = String(detail["advertiser_id"]);
        if (advertiserId is null || !grant.AdvertiserIds.Contains(advertiserId))
        {
            return Envelope.Error(40001, $"No permission to operate advertiser {advertiserId}.", requestId);
        }
        var subscription = state.Leads.Subscribe(callback.ToString(), state.Options.AppSecret, advertiserId, String(detail["page_id"]));
        return Envelope.Ok(new JsonObject { ["subscription_id"] = subscription.SubscriptionId }, requestId);
    }

    private static string Quote(string value)
        => value.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
