using System.Text;
using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>
/// Valid requests that must still succeed between the hostile ones: a new event, the connection, the fixture's
/// audience, a signed lead delivery and the operator's view of the organizer, in turn.
/// </summary>
internal static class ValidCases
{
    private const string Api = "/api/integrations/tiktok-ads";

    public static void Add(CaseList cases, IReadOnlyList<FuzzRoute> routes, int count)
    {
        var ids = cases.Ids;
        var events = Route(routes, "POST", Api + "/events");
        var connection = Route(routes, "GET", Api + "/connection");
        var audience = Route(routes, "GET", Api + "/audiences/{audienceId}");
        var lead = Route(routes, "POST", ValidBodies.LeadWebhook);
        var organizer = Route(routes, "GET", "/api/admin/organizers/{organizerId}");
        for (var i = 0; i < count; i++)
        {
            switch (i % 5)
            {
                case 0:
                    var e = (JsonObject)ValidBodies.For(events, ids);
                    e["event_id"] = $"fuzz_valid_{i}";
                    cases.Http("valid event", events, events.Template, cases.Auth(events), Utf8(e), "application/json", expect: FuzzExpectation.Success);
                    break;
                case 1:
                    cases.Http("valid connection", connection, connection.Template, cases.Auth(connection), expect: FuzzExpectation.Success);
                    break;
                case 2:
                    cases.Http("valid audience", audience, RouteCases.Target(audience, ids), cases.Auth(audience), expect: FuzzExpectation.Success);
                    break;
                case 3:
                    var delivery = ValidBodies.For(lead, ids);
                    delivery["object"]!["lead_id"] = $"74000000000{i:00000000}";
                    cases.Http("valid lead delivery", lead, lead.Template, [], Utf8(delivery), "application/json", expect: FuzzExpectation.Success);
                    break;
                default:
                    cases.Http("valid organizer", organizer, RouteCases.Target(organizer, ids), cases.Auth(organizer), expect: FuzzExpectation.Success);
                    break;
            }
        }
    }

    private static FuzzRoute Route(IReadOnlyList<FuzzRoute> routes, string method, string template)
        => routes.Single(r => r.Method == method && r.Template == template);

    private static byte[] Utf8(JsonNode body) => Encoding.UTF8.GetBytes(body.ToJsonString());
}
