using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TikTokAds.Sandbox.State;
using static TikTokAds.Sandbox.Api.SandboxRequest;

namespace TikTokAds.Sandbox.Api;

/// <summary>dmp/custom_audience/*: customer-file audiences, their files, and lookalikes.</summary>
internal static class CustomAudienceApi
{
    private static readonly Dictionary<string, int> LookalikeFactor = new(StringComparer.Ordinal) { ["NARROW"] = 10, ["BALANCED"] = 50, ["BROAD"] = 100 };

    public static async Task<IResult> UploadFileAsync(HttpRequest request, SandboxState state)
    {
        var requestId = Envelope.NewRequestId();
        var (grant, error, _) = Authenticate(request, state, requestId);
        if (error is not null)
        {
            return error;
        }
        if (!request.HasFormContentType)
        {
            return Envelope.Error(40000, "file/upload/ takes multipart/form-data.", requestId);
        }
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var advertiserId = form["advertiser_id"].ToString();
        if (!grant!.AdvertiserIds.Contains(advertiserId))
        {
            return Envelope.Error(40001, $"No permission to operate advertiser {advertiserId}.", requestId);
        }
        var calculateType = form["calculate_type"].ToString();
        if (!TikTokFacts.CalculateTypes.Contains(calculateType))
        {
            return Envelope.Error(40909, $"calculate_type '{calculateType}' is not supported.", requestId);
        }
        if (form.Files["file"] is not { } file)
        {
            return Envelope.Error(40000, "The file part is missing.", requestId);
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var content = buffer.ToArray();
#pragma warning disable CA5351 // TikTok's file_signature is an MD5 checksum.
        var md5 = Convert.ToHexStringLower(MD5.HashData(content));
#pragma warning restore CA5351
        if (!string.Equals(md5, form["file_signature"].ToString(), StringComparison.OrdinalIgnoreCase))
        {
            return Envelope.Error(40900, "file_signature does not match the MD5 of the file.", requestId);
        }
        var lines = Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var schema = calculateType.StartsWith("PHONE", StringComparison.Ordinal) ? "PHONE_SHA256" : "EMAIL_SHA256";
        if (lines.Any(l => !TikTokFacts.IsHashedId(calculateType.EndsWith("_MD5", StringComparison.Ordinal) ? "X_MD5" : schema, l)))
        {
            return Envelope.Error(40900, "The file holds values that are not hashed identifiers of its calculate_type.", requestId);
        }
        var path = state.Audiences.AddFile(advertiserId, calculateType, [.. lines.Select(l => $"{schema}:{l.ToLowerInvariant()}")]);
        return Envelope.Ok(new JsonObject { ["file_path"] = path, ["size"] = content.Length }, requestId);
    }

    public static async Task<IResult> CreateAsync(HttpRequest request, SandboxState state)
    {
        var (call, error) = await OpenBodyAsync(request, state);
        if (error is not null)
        {
            return error;
        }
        var (_, body, advertiserId, requestId) = call!;
        var name = String(body["custom_audience_name"]);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 128)
        {
            return Envelope.Error(40002, "custom_audience_name is required, at most 128 characters.", requestId);
        }
        var calculateType = String(body["calculate_type"]) ?? "";
        if (!TikTokFacts.CalculateTypes.Contains(calculateType))
        {
            return Envelope.Error(40909, $"calculate_type '{calculateType}' is not supported.", requestId);
        }
        var (members, fileError) = ReadFiles(state, body, advertiserId, requestId);
        if (fileError is not null)
        {
            return fileError;
        }
        if (state.Audiences.CountFor(advertiserId) >= state.Options.MaxAudiencesPerAdvertiser)
        {
            return Envelope.Error(40002, $"Advertiser {advertiserId} already has {state.Options.MaxAudiencesPerAdvertiser} audiences, the most allowed.", requestId);
        }
        var audience = state.Audiences.Create(advertiserId, name, "CUSTOMER_FILE", calculateType, state.Now, state.Options.AudienceProcessingTime);
        lock (state.Audiences.Sync)
        {
            audience.Members.UnionWith(members);
        }
        return Envelope.Ok(new JsonObject { ["custom_audience_id"] = audience.AudienceId }, requestId);
    }

    public static async Task<IResult> UpdateAsync(HttpRequest request, SandboxState state)
    {
        var (call, error) = await OpenBodyAsync(request, state);
        if (error is not null)
        {
            return error;
        }
        var (_, body, advertiserId, requestId) = call!;
        var audience = Owned(state, String(body["custom_audience_id"]), advertiserId);
        if (audience is null)
        {
            return Envelope.Error(40007, "custom_audience_id does not exist for this advertiser.", requestId);
        }
        if (!audience.IsReady(state.Now))
        {
            return Envelope.Error(40002, $"Audience {audience.AudienceId} is still processing; try again later.", requestId);
        }
        if (String(body["custom_audience_name"]) is { } rename)
        {
            audience.Name = rename;
        }
        if (body["file_paths"] is null)
        {
            return Envelope.Ok(new JsonObject { ["custom_audience_id"] = audience.AudienceId }, requestId);
        }
        var action = String(body["action"]) ?? "REPLACE";
        if (action is not ("APPEND" or "REMOVE" or "REPLACE"))
        {
            return Envelope.Error(40002, "action must be APPEND, REMOVE or REPLACE.", requestId);
        }
        var (members, fileError) = ReadFiles(state, body, advertiserId, requestId);
        if (fileError is not null)
        {
            return fileError;
        }
        lock (state.Audiences.Sync)
        {
            var result = new HashSet<string>(action == "REPLACE" ? members : audience.Members, StringComparer.Ordinal);
            if (action == "APPEND")
            {
                result.UnionWith(members);
            }
            else if (action == "REMOVE")
            {
                result.ExceptWith(members);
            }
            if (result.Count < state.Options.MinimumCustomerFileAudience)
            {
                return Envelope.Error(40002, $"The audience would hold {result.Count} users, fewer than the {state.Options.MinimumCustomerFileAudience} required.", requestId);
            }
            audience.Members.Clear();
            audience.Members.UnionWith(result);
            audience.MembersChanged();
            audience.Updates++;
        }
        return Envelope.Ok(new JsonObject { ["custom_audience_id"] = audience.AudienceId }, requestId);
    }

    public static IResult Get(HttpRequest request, SandboxState state)
    {
        var (call, error) = OpenQuery(request, state);
        if (error is not null)
        {
            return error;
        }
        var (_, _, advertiserId, requestId) = call!;
        var ids = StringArray(request.Query["custom_audience_ids"]);
        if (ids.Count is 0 or > 100)
        {
            return Envelope.Error(40002, "custom_audience_ids must list 1 to 100 ids.", requestId);
        }
        var list = new JsonArray();
        foreach (var id in ids)
        {
            if (Owned(state, id, advertiserId) is { } audience)
            {
                list.Add(AudienceApi.Describe(audience, state.Now));
            }
        }
        return Envelope.Ok(new JsonObject { ["list"] = list }, requestId);
    }

    public static IResult List(HttpRequest request, SandboxState state)
    {
        var (call, error) = OpenQuery(request, state);
        if (error is not null)
        {
            return error;
        }
        var (_, _, advertiserId, requestId) = call!;
        var page = int.TryParse(request.Query["page"], CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var size = int.TryParse(request.Query["page_size"], CultureInfo.InvariantCulture, out var s) ? Math.Clamp(s, 1, 100) : 10;
        var all = state.Audiences.ForAdvertiser(advertiserId);
        var list = new JsonArray([.. all.Skip((page - 1) * size).Take(size).Select(a => (JsonNode)AudienceApi.Describe(a, state.Now))]);
        var pageInfo = new JsonObject { ["page"] = page, ["page_size"] = size, ["total_number"] = all.Count, ["total_page"] = (all.Count + size - 1) / size };
        return Envelope.Ok(new JsonObject { ["list"] = list, ["page_info"] = pageInfo }, requestId);
    }

    public static async Task<IResult> DeleteAsync(HttpRequest request, SandboxState state)
    {
        var (call, error) = await OpenBodyAsync(request, state);
        if (error is not null)
        {
            return error;
        }
        var (_, body, advertiserId, requestId) = call!;
        var ids = Strings(body["custom_audience_ids"]) ?? [];
        if (ids.Count is 0 or > 100)
        {
            return Envelope.Error(40002, "custom_audience_ids must list 1 to 100 ids.", requestId);
        }
        if (ids.FirstOrDefault(id => Owned(state, id, advertiserId) is null) is { } missing)
        {
            return Envelope.Error(40007, $"Audience {missing} does not exist for advertiser {advertiserId}.", requestId);
        }
        foreach (var id in ids)
        {
            state.Audiences.Delete(id);
        }
        return Envelope.Ok(requestId: requestId);
    }

    public static async Task<IResult> CreateLookalikeAsync(HttpRequest request, SandboxState state)
    {
        var (call, error) = await OpenBodyAsync(request, state);
        if (error is not null)
        {
            return error;
        }
        var (_, body, advertiserId, requestId) = call!;
        var name = String(body["custom_audience_name"]);
        if (string.IsNullOrWhiteSpace(name))
        {
            return Envelope.Error(40002, "custom_audience_name is required.", requestId);
        }
        if (body["lookalike_spec"] is not JsonObject spec)
        {
            return Envelope.Error(40002, "lookalike_spec is required.", requestId);
        }
        var source = Owned(state, String(spec["source_audience_id"]), advertiserId);
        if (source is null)
        {
            return Envelope.Error(40007, "lookalike_spec.source_audience_id does not exist for this advertiser.", requestId);
        }
        if (source.Type == "LOOKALIKE")
        {
            return Envelope.Error(40002, "A lookalike audience cannot be the source of another lookalike.", requestId);
        }
        if (source.Size < state.Options.MinimumLookalikeSource)
        {
            return Envelope.Error(40002, $"The source audience has {source.Size} users; a lookalike needs at least {state.Options.MinimumLookalikeSource}.", requestId);
        }
        var size = String(spec["audience_size"]) ?? "";
        if (!LookalikeFactor.TryGetValue(size, out var factor))
        {
            return Envelope.Error(40002, "lookalike_spec.audience_size must be NARROW, BALANCED or BROAD.", requestId);
        }
        if (state.Audiences.CountFor(advertiserId) >= state.Options.MaxAudiencesPerAdvertiser)
        {
            return Envelope.Error(40002, $"Advertiser {advertiserId} already has {state.Options.MaxAudiencesPerAdvertiser} audiences, the most allowed.", requestId);
        }
        var lookalike = state.Audiences.Create(advertiserId, name, "LOOKALIKE", source.CalculateType, state.Now, state.Options.AudienceProcessingTime);
        lookalike.SourceAudienceId = source.AudienceId;
        lookalike.LookalikeSize = source.Size * factor;
        return Envelope.Ok(new JsonObject { ["custom_audience_id"] = lookalike.AudienceId }, requestId);
    }

    private static SandboxAudience? Owned(SandboxState state, string? audienceId, string advertiserId)
        => audienceId is not null && state.Audiences.Find(audienceId) is { } audience && audience.AdvertiserId == advertiserId ? audience : null;

    private static (List<string> Members, IResult? Error) ReadFiles(SandboxState state, JsonObject body, string advertiserId, string requestId)
    {
        var members = new List<string>();
        foreach (var path in Strings(body["file_paths"]) ?? [])
        {
            var file = state.Audiences.File(path);
            if (file is null || file.Value.AdvertiserId != advertiserId)
            {
                return ([], Envelope.Error(40002, $"file_path {path} does not exist for this advertiser.", requestId));
            }
            members.AddRange(file.Value.Lines);
        }
        return (members, null);
    }
}
