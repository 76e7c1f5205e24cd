using System.Text;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>
/// Cross-tenant probes: the organizer's key on the neighbour's audience and event, and the neighbour's key on the
/// organizer's own resources, each with a body the route would accept. Every one must answer 404 (or 403). (Both
/// have the same pixel id, which the neighbour's unchanged data after the run covers.)
/// </summary>
internal static class TenantCases
{
    private const string Json = "application/json";

    public static void Add(CaseList cases, IReadOnlyList<FuzzRoute> routes)
    {
        var ids = cases.Ids;
        var theirs = new Dictionary<string, string> { ["audienceId"] = ids.OtherAudienceId, ["eventId"] = ids.OtherEventId };
        // Ad settings are the organizer's own per ad id, so an ad id is no one's resource to probe.
        var ours = new HashSet<string>(["audienceId", "eventId", .. ids.LeadId is null ? Array.Empty<string>() : ["leadId"], .. ids.AuthorizationId is null ? Array.Empty<string>() : ["authorizationId"]]);
        foreach (var route in routes.Where(r => r.IsOrganizer && r.PathParameters.Count > 0))
        {
            var body = route.Body is null ? null : Encoding.UTF8.GetBytes(ValidBodies.For(route, ids).ToJsonString());
            if (route.PathParameters.All(theirs.ContainsKey))
            {
                cases.Http("cross-tenant: the neighbour's ids", route, RouteCases.Target(route, ids, theirs.ToDictionary(p => p.Key, p => Uri.EscapeDataString(p.Value))),
                    cases.Auth(route), body, body is null ? null : Json, expect: FuzzExpectation.NotFoundOrForbidden);
            }
            if (route.PathParameters.All(ours.Contains))
            {
                // Were isolation broken, a DELETE would remove the fixture's own resource: it waits with the destructive cases.
                cases.Http("cross-tenant: the neighbour's key on our ids", route, RouteCases.Target(route, ids), [CaseList.Bearer(ids.OtherApiKey)], body,
                    body is null ? null : Json, destructive: route.Method == "DELETE", expect: FuzzExpectation.NotFoundOrForbidden);
            }
        }
    }
}
