using System.Globalization;
using System.Text.Json.Nodes;
using TikTokAds.Sandbox.State;
using static TikTokAds.Sandbox.Api.SandboxRequest;

namespace TikTokAds.Sandbox.Api;

/// <summary>Segment ("streaming") audiences: create, delete, and mapping users in or out.</summary>
internal static class AudienceApi
{
    public static async Task<IResult> SegmentAudienceAsync(HttpRequest request, SandboxState state)
    {
        var (call, error) = await OpenBodyAsync(request, state);
        if (error is not null)
        {
            return error;
        }
        var (_, body, advertiserId, requestId) = call!;
        switch (String(body["action"]) ?? "create")
        {
            case "create":
                var name = String(body["custom_audience_name"]);
                if (string.IsNullOrWhiteSpace(name))
                {
                    return Envelope.Error(40002, "custom_audience_name is required to create an audience.", requestId);
                }
                if (state.Audiences.CountFor(advertiserId) >= state.Options.MaxAudiencesPerAdvertiser)
                {
                    return Envelope.Error(40002, $"Advertiser {advertiserId} already has {state.Options.MaxAudiencesPerAdvertiser} audiences, the most allowed.", requestId);
                }
                // TikTok cuts names over 70 characters to 67 plus "...".
                var stored = name.Length > 70 ? name[..67] + "..." : name;
                var audience = state.Audiences.Create(advertiserId, stored, "SEGMENT", "MULTIPLE_TYPES", state.Now, state.Options.AudienceProcessingTime);
                return Envelope.Ok(new JsonObject { ["audience_id"] = audience.AudienceId }, requestId);
            case "delete":
                var deleteId = String(body["delete_audience_id"]);
                var existing = deleteId is null ? null : state.Audiences.Find(deleteId);
                if (existing is null || existing.AdvertiserId != advertiserId)
                {
                    return Envelope.Error(40007, $"Audience {deleteId} does not exist for advertiser {advertiserId}.", requestId);
                }
                state.Audiences.Delete(existing.AudienceId);
                return Envelope.Ok(new JsonObject { ["audience_id"] = existing.AudienceId }, requestId);
            default:
                return Envelope.Error(40002, "action must be create or delete.", requestId);
        }
    }

    public static async Task<IResult> SegmentMappingAsync(HttpRequest request, SandboxState state)
    {
        var requestId = Envelope.NewRequestId();
        var (grant, error, _) = Authenticate(request, state, requestId);
        if (error is not null)
        {
            return error;
        }
        var (body, parseError) = await ReadObjectAsync(request, requestId);
        if (parseError is not null)
        {
            return parseError;
        }
        var advertisers = Strings(body!["advertiser_ids"]) ?? [];
        if (advertisers.Count == 0 || advertisers.Any(a => !grant!.AdvertiserIds.Contains(a)))
        {
            return Envelope.Error(40001, "advertiser_ids must list advertisers this token may operate.", requestId);
        }
        var action = String(body["action"]) ?? "add";
        if (action is not ("add" or "delete"))
        {
            return Envelope.Error(40002, "action must be add or delete.", requestId);
        }
        var schema = Strings(body["id_schema"]) ?? [];
        if (schema.Count == 0 || schema.Any(s => !TikTokFacts.IdSchemas.Contains(s.ToUpperInvariant())) || schema.Distinct(StringComparer.OrdinalIgnoreCase).Count() != schema.Count)
        {
            return Envelope.Error(40002, $"id_schema must list distinct values of {string.Join(", ", TikTokFacts.IdSchemas)}.", requestId);
        }
        if (body["batch_data"] is not JsonArray batch || batch.Count == 0)
        {
            return Envelope.Error(40002, "batch_data must be a non-empty array of users.", requestId);
        }
        if (batch.Count > state.Options.MaxMappingUsers)
        {
            return Envelope.Error(40011, $"batch_data holds {batch.Count} users; at most {state.Options.MaxMappingUsers} are accepted per request.", requestId);
        }

        var changes = new List<(SandboxAudience Audience, string Member)>();
        var now = state.Now;
        for (var u = 0; u < batch.Count; u++)
        {
            if (batch[u] is not JsonArray user || user.Count != schema.Count)
            {
                return Envelope.Error(40002, $"batch_data[{u}] must have one entry per id_schema value ({schema.Count}).", requestId);
            }
            for (var p = 0; p < schema.Count; p++)
            {
                if (user[p] is not JsonObject entry)
                {
                    return Envelope.Error(40002, $"batch_data[{u}][{p}] must be an object ({{}} when the user has no such id).", requestId);
                }
                var id = String(entry["id"]);
                if (id is null)
                {
                    continue;
                }
                var idSchema = schema[p].ToUpperInvariant();
                if (!TikTokFacts.IsHashedId(idSchema, id))
                {
                    return Envelope.Error(40002, $"batch_data[{u}][{p}].id is not a valid {idSchema} value.", requestId);
                }
                foreach (var audienceId in Strings(entry["audience_ids"]) ?? [])
                {
                    var audience = state.Audiences.Find(audienceId);
                    if (audience is null || !advertisers.Contains(audience.AdvertiserId))
                    {
                        return Envelope.Error(40007, $"Audience {audienceId} does not belong to the listed advertisers.", requestId);
                    }
                    if (!audience.IsReady(now))
                    {
                        return Envelope.Error(40002, $"Audience {audienceId} is still processing; try again later.", requestId);
                    }
                    changes.Add((audience, $"{idSchema}:{id.ToLowerInvariant()}"));
                }
            }
        }
        lock (state.Audiences.Sync)
        {
            foreach (var (audience, member) in changes)
            {
                if (action == "add")
                {
                    audience.Members.Add(member);
                }
                else
                {
                    audience.Members.Remove(member);
                }
                audience.Updates++;
                audience.MembersChanged();
            }
        }
        return Envelope.Ok(requestId: requestId);
    }

    internal static JsonObject Describe(SandboxAudience audience, DateTimeOffset now) => new()
    {
        ["audience_id"] = audience.AudienceId,
        ["name"] = audience.Name,
        ["cover_num"] = audience.Size,
        ["is_valid"] = audience.IsReady(now),
        ["is_expiring"] = false,
        ["expired_time"] = audience.CreatedAt.AddDays(365).ToUnixTimeSeconds(),
        ["audience_type"] = audience.Type,
        ["calculate_type"] = audience.CalculateType,
        ["create_time"] = audience.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
    };
}
