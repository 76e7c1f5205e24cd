using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>
/// What the node stored, read back after the run: the neighbour's data in a form only its own writes change,
/// and every stored string the API, the dashboard or the database shows, searched for a NUL.
/// </summary>
internal static class StoredState
{
    private const string Api = "/api/integrations/tiktok-ads";

    /// <summary>Fields that change only when someone writes them: status, timestamps and run history are left out.</summary>
    private static readonly HashSet<string> Kept =
    [
        "id", "name", "pixel_id", "advertiser_id", "test_mode", "test_event_code", "default_country_code", "track_purchases", "track_add_to_cart",
        "track_checkout", "track_registrations", "allow_custom_events", "custom_audience_name", "members", "id_schema", "exclusion", "retention_in_days",
        "key_id", "revoked_at", "ad_id", "form_name", "text_template", "event_id", "event_type", "callback_url",
    ];

    /// <summary>The neighbour organizer as its own key and the operator see it.</summary>
    public static async Task<string> NeighbourAsync(HttpClient http, FuzzIds ids)
    {
        var text = new StringBuilder();
        foreach (var (key, path) in new[]
        {
            (ids.AdminKey, $"/api/admin/organizers/{ids.OtherOrganizerId}"), (ids.AdminKey, $"/api/admin/organizers/{ids.OtherOrganizerId}/keys"),
            (ids.OtherApiKey, $"{Api}/connection"), (ids.OtherApiKey, $"{Api}/audiences"), (ids.OtherApiKey, $"{Api}/audiences/{ids.OtherAudienceId}"),
            (ids.OtherApiKey, $"{Api}/events/{ids.OtherEventId}"), (ids.OtherApiKey, $"{Api}/leads/ads"), (ids.OtherApiKey, $"{Api}/leads"),
            (ids.OtherApiKey, $"{Api}/oauth/authorizations"),
        })
        {
            var (status, body) = await GetAsync(http, key, path);
            var json = JsonNode.Parse(body.Length == 0 ? "null" : body);
            if (path.EndsWith("/keys", StringComparison.Ordinal) && json is JsonArray keys)
            {
                // The operator may issue the neighbour more keys (the fuzz's admin cases do); only its own key's state is the neighbour's.
                json = new JsonArray([.. keys.Where(k => (string?)k?["key_id"] == ids.OtherKeyId).Select(k => k!.DeepClone())]);
            }
            text.Append(path).Append(" -> ").Append(status).Append(' ').Append(Project(json)?.ToJsonString()).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Every readable path whose answer holds a NUL, with the answer's start; empty when none does.</summary>
    public static async Task<IReadOnlyList<string>> NulsInAnswersAsync(HttpClient http, FuzzIds ids)
    {
        var organizer = new[]
        {
            "/connection", "/audiences", $"/audiences/{ids.AudienceId}", $"/events/{ids.EventId}", $"/pixels/{ids.PixelId}/status", "/leads", "/leads/ads",
            "/leads/forms", "/leads/integration", "/oauth/authorizations", "/ad-accounts",
        };
        var paths = organizer.Select(p => (ids.ApiKey, Api + p))
            .Concat(organizer.Select(p => (ids.OtherApiKey, Api + p)))
            .Concat(new[]
            {
                "/api/admin/organizers", $"/api/admin/organizers/{ids.OrganizerId}/keys", "/dashboard/api/pixels", "/dashboard/api/audiences",
                $"/dashboard/api/pixels/{ids.OrganizerId}/{ids.PixelId}/events",
            }.Select(p => (ids.AdminKey, p)));
        var found = new List<string>();
        foreach (var (key, path) in paths)
        {
            var (status, body) = await GetAsync(http, key, path);
            if (body.Contains("\\u0000", StringComparison.Ordinal) || body.Contains('\0', StringComparison.Ordinal))
            {
                found.Add($"GET {path} ({status}): {FuzzReport.Printable(body, 300)}");
            }
        }
        return found;
    }

    /// <summary>Tables holding a NUL: as JSON's escape in any column, or in grain state (JSON in bytea, read as escaped text).</summary>
    public static async Task<IReadOnlyList<string>> NulsInDatabaseAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var columns = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await using (var list = dataSource.CreateCommand("""
            SELECT quote_ident(c.table_schema) || '.' || quote_ident(c.table_name), quote_ident(c.column_name), c.data_type
            FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
            """))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var table = columns.TryGetValue(reader.GetString(0), out var known) ? known : columns[reader.GetString(0)] = [];
                if (reader.GetString(2) == "bytea")
                {
                    table.Add($" || coalesce(encode(t.{reader.GetString(1)}, 'escape'), '')");
                }
            }
        }
        var found = new List<string>();
        foreach (var (table, binary) in columns)
        {
            // In row_to_json's text a NUL shows as \u0000; in a bytea's escape encoding JSON's \u0000 shows with its backslash doubled.
            await using var search = dataSource.CreateCommand($"SELECT count(*) FROM {table} t WHERE strpos(row_to_json(t)::text{string.Concat(binary)}, '\\u0000') > 0");
            if ((long)(await search.ExecuteScalarAsync())! is var rows and > 0)
            {
                found.Add($"{table}: {rows} rows");
            }
        }
        return found;
    }

    private static async Task<(int Status, string Body)> GetAsync(HttpClient http, string key, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The JSON with only the <see cref="Kept"/> fields, every object and array on the way to one kept.</summary>
    private static JsonNode? Project(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => p.Value is JsonObject or JsonArray || Kept.Contains(p.Key)).Select(p => KeyValuePair.Create(p.Key, Project(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Project)]),
        _ => node?.DeepClone(),
    };
}
