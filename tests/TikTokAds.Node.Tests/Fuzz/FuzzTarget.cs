using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TikTokAds.Node.Tests.Gateway;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>A node process with the in-process sandbox, two organizers, a connected pixel, an audience, an event and a lead.</summary>
internal sealed class FuzzTarget : IAsyncDisposable
{
    private const string Api = "/api/integrations/tiktok-ads";
    private const string Pixel = "SANDBOXPIXEL0001";
    private const string Advertiser = "7000000000000000001";
    private const string NeighbourEvent = "fuzz_neighbour_event_1";

    /// <summary>Set rather than left to the sandbox's default, so the cases can sign lead deliveries and get past the signature check.</summary>
    public const string WebhookSecret = "fuzz-webhook-secret";

    private FuzzTarget(string provider, NodeProcess node, FuzzIds ids, JsonObject openApi, string? postgres)
    {
        Provider = provider;
        Postgres = postgres;
        Node = node;
        Ids = ids;
        OpenApi = openApi;
    }

    public string Provider { get; }
    public NodeProcess Node { get; }
    public FuzzIds Ids { get; }
    public JsonObject OpenApi { get; }

    /// <summary>The node's database, when it has one: the check for stored NULs reads it directly.</summary>
    public string? Postgres { get; }

    /// <summary>Embedded storage (no database): the node as `--sandbox` alone runs it.</summary>
    public static Task<FuzzTarget> EmbeddedAsync() => StartAsync("embedded", Common());

    /// <summary>A one-member cluster over a fresh PostgreSQL database.</summary>
    public static async Task<FuzzTarget> PostgresAsync() => await StartAsync("postgres", await ClusterSettings.CreateAsync("fuzz", Common()));

    private static Dictionary<string, string> Common() => new()
    {
        ["Admin:ApiKey"] = GatewayFactory.AdminKey,
        // The fuzz is one organizer at full speed: a 429 would hide what the handlers do with the body.
        ["Gateway:PermitsPerSecond"] = "1000000",
        ["Gateway:Burst"] = "1000000",
        // Warnings and errors only, so a 5xx's exception is easy to find in the output.
        ["Logging:LogLevel:Default"] = "Warning",
        ["Leads:WebhookSecret"] = WebhookSecret,
    };

    private static async Task<FuzzTarget> StartAsync(string provider, Dictionary<string, string> settings)
    {
        var node = NodeProcess.Start(NodeCli.NodeAssembly, settings, arguments: ["--sandbox"]);
        try
        {
            await node.WaitReadyAsync(TimeSpan.FromSeconds(90));
            var ids = await ArrangeAsync(node);
            var openApi = (JsonObject)JsonNode.Parse(await node.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
            return new FuzzTarget(provider, node, ids, openApi, settings.GetValueOrDefault("ConnectionStrings:Postgres"));
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    private static async Task<FuzzIds> ArrangeAsync(NodeProcess node)
    {
        using var admin = Client(node, GatewayFactory.AdminKey);
        var first = await PostAsync(admin, "/api/admin/organizers", new JsonObject { ["name"] = "Fuzz" });
        var other = await PostAsync(admin, "/api/admin/organizers", new JsonObject { ["name"] = "Fuzz neighbour" });
        var spare = await PostAsync(admin, $"/api/admin/organizers/{(string)first["id"]!}/keys", null);
        using var client = Client(node, (string)first["api_key"]!);
        await PostAsync(client, $"{Api}/connect", new JsonObject { ["pixel_id"] = Pixel, ["access_token"] = "sandbox-access-token", ["advertiser_id"] = Advertiser });
        var audience = await PostAsync(client, $"{Api}/audiences", new JsonObject
        {
            ["advertiser_id"] = Advertiser, ["custom_audience_name"] = "Fuzz buyers", ["audience_type"] = "CUSTOMER_FILE", ["id_schema"] = new JsonArray("EMAIL_SHA256"),
        });
        await PostAsync(client, $"{Api}/events", new JsonObject
        {
            ["event_type"] = "ViewContent", ["event_id"] = "fuzz_event_1", ["consent"] = new JsonObject { ["granted"] = true },
            ["context"] = new JsonObject { ["page_url"] = "https://tickets.example/e/1" },
        });
        var (lead, leadAdvertiser, authorization) = await LeadAsync(node, client);
        using var neighbour = Client(node, (string)other["api_key"]!);
        var (neighbourAudience, neighbourEvent) = await NeighbourAsync(neighbour);
        return new FuzzIds(GatewayFactory.AdminKey, (string)first["id"]!, (string)first["api_key"]!, (string)first["key_id"]!, (string)spare["key_id"]!,
            Pixel, Advertiser, (string)audience["id"]!, "fuzz_event_1", lead, leadAdvertiser, authorization,
            (string)other["id"]!, (string)other["api_key"]!, (string)other["key_id"]!, neighbourAudience, neighbourEvent);
    }

    /// <summary>
    /// The neighbour's own audience and event, what the cross-tenant probes aim at, and the same pixel as the
    /// organizer's (the sandbox's token grants one): the fuzz's writes to its pixel must leave the neighbour's as it was.
    /// </summary>
    private static async Task<(string AudienceId, string EventId)> NeighbourAsync(HttpClient neighbour)
    {
        await PostAsync(neighbour, $"{Api}/connect", new JsonObject { ["pixel_id"] = Pixel, ["access_token"] = "sandbox-access-token", ["advertiser_id"] = Advertiser });
        var audience = await PostAsync(neighbour, $"{Api}/audiences", new JsonObject
        {
            ["advertiser_id"] = Advertiser, ["custom_audience_name"] = "Neighbour buyers", ["audience_type"] = "CUSTOMER_FILE", ["id_schema"] = new JsonArray("EMAIL_SHA256"),
        });
        await PostAsync(neighbour, $"{Api}/events", new JsonObject
        {
            ["event_type"] = "ViewContent", ["event_id"] = NeighbourEvent, ["consent"] = new JsonObject { ["granted"] = true },
            ["context"] = new JsonObject { ["page_url"] = "https://tickets.example/e/2" },
        });
        return ((string)audience["id"]!, NeighbourEvent);
    }

    /// <summary>
    /// A lead routed to the organizer: its OAuth consent at the sandbox grants ad accounts, one of them is subscribed, and
    /// a signed delivery for it is stored. Lead cases then reach the stored-lead code, not only the "unrouted" answer.
    /// </summary>
    private static async Task<(string? LeadId, string Advertiser, string? AuthorizationId)> LeadAsync(NodeProcess node, HttpClient client)
    {
        var start = (await client.GetFromJsonAsync<JsonObject>($"{Api}/oauth/start"))!;
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var consent = await browser.GetAsync(new Uri($"{(string)start["authorize_url"]!}&sandbox_user=fuzz-user"));
        using var completed = await client.GetAsync(new Uri(consent.Headers.Location!.PathAndQuery, UriKind.Relative));
        var authorization = (await completed.Content.ReadFromJsonAsync<JsonObject>())?["authorization"];
        var advertiser = (string?)authorization?["advertiser_ids"]?[0] ?? Advertiser;
        await PostAsync(client, $"{Api}/leads/subscriptions", new JsonObject { ["advertiser_id"] = advertiser });
        var body = System.Text.Encoding.UTF8.GetBytes(new JsonObject
        {
            ["object"] = new JsonObject
            {
                ["lead_id"] = "7400000000000000001", ["advertiser_id"] = advertiser, ["page_id"] = "7300000000000009001",
                ["changes"] = new JsonArray(new JsonObject { ["field"] = "name", ["value"] = "Ana Pop" }),
            },
        }.ToJsonString());
        using var anonymous = new HttpClient { BaseAddress = node.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/webhooks/tiktok/leads", UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(LeadSignature.Header, LeadSignature.For(body));
        using var delivered = await anonymous.SendAsync(request);
        var answer = await delivered.Content.ReadFromJsonAsync<JsonObject>();
        return (delivered.IsSuccessStatusCode && (string?)answer?["status"] != "unrouted" ? "7400000000000000001" : null, advertiser, (string?)authorization?["id"]);
    }

    private static HttpClient Client(NodeProcess node, string key)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<JsonObject> PostAsync(HttpClient client, string path, JsonObject? body)
    {
        using var response = body is null ? await client.PostAsync(new Uri(path, UriKind.Relative), null) : await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"fuzz set-up: POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text) as JsonObject ?? [];
    }

    public ValueTask DisposeAsync() => Node.DisposeAsync();
}
