using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>A TikTok lead that later buys a ticket goes back to TikTok as one CRM event with its lead id.</summary>
public sealed class LeadToTicketTests(KestrelGatewayFactory factory) : IClassFixture<KestrelGatewayFactory>
{
    private const string Api = "/api/integrations/tiktok-ads";

    private async Task<string> AddLeadAsync(string advertiser, JsonObject fields)
    {
        using var response = await factory.Sandbox.Admin.PostAsJsonAsync("sandbox/leads", new JsonObject
        {
            ["advertiser_id"] = advertiser, ["page_id"] = "7300000000000009001", ["ad_id"] = "7500000000000000201", ["fields"] = fields,
        });
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["lead_id"]!;
    }

    private static async Task BuyAsync(HttpClient client, string pixel, int i, string phone)
    {
        var purchase = GatewayFactory.Event(i);
        purchase["pixel_id"] = pixel;
        purchase["user"]!["phone"] = phone;
        using var response = await client.PostAsJsonAsync($"{Api}/events", purchase);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task<List<JsonNode>> CrmEventsAsync(string pixel)
        => [.. (await factory.Sandbox.EventsAsync(pixel)).OfType<JsonNode>().Where(e => (string?)e["event_source"] == "crm")];

    /// <summary>An organizer authorized over OAuth, its pixel connected through it, and TikTok's LEAD webhook subscribed.</summary>
    private async Task<(HttpClient Client, string Advertiser, string Pixel)> OrganizerAsync(string name)
    {
        var (_, key) = await factory.CreateOrganizerAsync(name);
        var client = factory.As(key);
        var (_, advertisers) = await new LeadFlow(factory).ConnectAsync(client, name.Replace(' ', '-'));
        var advertiser = advertisers[0];
        var pixel = $"PIXEL{advertiser[^8..]}";
        using (var connected = await client.PostAsJsonAsync($"{Api}/connect", new JsonObject { ["pixel_id"] = pixel, ["advertiser_id"] = advertiser }))
        {
            Assert.Equal(HttpStatusCode.Created, connected.StatusCode);
        }
        await LeadFlow.SubscribeAsync(client, advertiser);
        return (client, advertiser, pixel);
    }

    [Fact]
    public async Task A_lead_that_buys_twice_produces_exactly_one_crm_event_with_its_lead_id()
    {
        var (client, advertiser, pixel) = await OrganizerAsync("Lead to ticket");
        var buyer = await AddLeadAsync(advertiser, new JsonObject { ["name"] = "Ana Pop", ["phone_number"] = "+40721234567" });
        var other = await AddLeadAsync(advertiser, new JsonObject { ["name"] = "Ion Pop", ["email"] = "fan3@example.com" });
        var neverBuys = await AddLeadAsync(advertiser, new JsonObject { ["name"] = "Eva Pop", ["phone_number"] = "+40799999999" });
        foreach (var lead in (string[])[buyer, other, neverBuys])
        {
            await LeadFlow.EventuallyAsync(async () => await LeadFlow.LeadAsync(client, lead) is not null);
        }

        await BuyAsync(client, pixel, 1, "+40 721 234 567");
        await BuyAsync(client, pixel, 2, "+40 721 234 567");
        await BuyAsync(client, pixel, 3, "+40 744 000 003");
        List<JsonNode> crm = [];
        await LeadFlow.EventuallyAsync(async () => (crm = await CrmEventsAsync(pixel)).Count >= 2 && factory.Sandbox.State.Events.Stats(pixel).Events >= 5);

        var leadIds = crm.Select(e => (string)e["body"]!["lead"]!["lead_id"]!).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { buyer, other }.Order(StringComparer.Ordinal), leadIds);
        Assert.All(crm, e => Assert.False((bool)e["duplicate"]!));
        Assert.Equal(3, (await factory.Sandbox.EventsAsync(pixel)).Count(e => (string?)e!["event_source"] == "web"));
    }

    [Fact]
    public async Task A_lead_that_arrives_after_purchases_found_no_lead_still_converts_on_its_purchase()
    {
        var (client, advertiser, pixel) = await OrganizerAsync("Lead after purchases");
        await BuyAsync(client, pixel, 11, "+40 700 000 011");
        await LeadFlow.EventuallyAsync(() => Task.FromResult(factory.Sandbox.State.Events.Stats(pixel).Events >= 1));

        var lead = await AddLeadAsync(advertiser, new JsonObject { ["name"] = "Dan Pop", ["phone_number"] = "+40700000012" });
        await LeadFlow.EventuallyAsync(async () => await LeadFlow.LeadAsync(client, lead) is not null);
        await BuyAsync(client, pixel, 12, "+40 700 000 012");
        List<JsonNode> crm = [];
        await LeadFlow.EventuallyAsync(async () => (crm = await CrmEventsAsync(pixel)).Count >= 1);

        Assert.Equal(lead, (string)Assert.Single(crm)["body"]!["lead"]!["lead_id"]!);
    }
}
