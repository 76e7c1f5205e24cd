using System.Text;
using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>Cases aimed at each route: hostile path parameters, query values, bodies, content types and credentials.</summary>
internal static class RouteCases
{
    private const string Json = "application/json; charset=utf-8";
    private const int SegmentsPerParameter = 16;
    private const int LeafMutationsPerBody = 16;

    /// <summary>Routes that get every hostile content type: the hot paths and the ones the manual attack broke.</summary>
    private static readonly string[] ContentTypeTargets = ["/api/integrations/tiktok-ads/events", "/api/integrations/tiktok-ads/connect", ValidBodies.LeadWebhook];

    public static void Add(CaseList cases, IReadOnlyList<FuzzRoute> routes, Random random)
    {
        foreach (var route in routes)
        {
            cases.Http("baseline", route, Target(route, cases.Ids), cases.Auth(route), Body(route, cases.Ids), HasBody(route) ? Json : null, Destroys(route));
            PathParameters(cases, route, random);
            Queries(cases, route);
            Bodies(cases, route, random);
            Credentials(cases, route, random);
        }
        WrongMethods(cases, routes);
    }

    private static void PathParameters(CaseList cases, FuzzRoute route, Random random)
    {
        var segments = HostileValues.PathSegments(cases.Ids);
        foreach (var parameter in route.PathParameters)
        {
            // The NUL and cross-tenant values always; a seeded sample of the rest, so every run is the same run.
            var chosen = segments.Where(s => s.Contains("%00", StringComparison.Ordinal) || s.StartsWith("org_", StringComparison.Ordinal))
                .Concat(segments.OrderBy(_ => random.Next()).Take(SegmentsPerParameter)).Distinct(StringComparer.Ordinal);
            foreach (var segment in chosen)
            {
                var target = Target(route, cases.Ids, new Dictionary<string, string> { [parameter] = segment });
                var body = Body(route, cases.Ids);
                var head = new List<string> { cases.AuthLine(route) };
                if (body is not null)
                {
                    head.AddRange([$"Content-Type: {Json}", $"Content-Length: {body.Length}"]);
                }
                // Raw bytes: HttpClient would decode and fold dot segments, and the point is to send them as they are.
                cases.Raw($"path {parameter} = {JsonMutations.Excerpt(segment)}", route.Template, RawHttp.Build($"{route.Method} {target} HTTP/1.1", head, body),
                    destructive: route.Method == "DELETE");
            }
        }
        var prefix = route.Template.Split('{')[0];
        foreach (var trick in new[] { "/../", "/./", "//", "/%2e%2e/", "/..;/", "\\..\\" })
        {
            var target = prefix.TrimEnd('/') + trick + Target(route, cases.Ids)[prefix.TrimEnd('/').Length..].TrimStart('/');
            cases.Raw($"path trick {trick}", route.Template, RawHttp.Build($"{route.Method} {target} HTTP/1.1", [cases.AuthLine(route), "Content-Length: 0"]),
                destructive: route.Method == "DELETE");
        }
    }

    private static void Queries(CaseList cases, FuzzRoute route)
    {
        var target = Target(route, cases.Ids);
        foreach (var parameter in route.QueryParameters)
        {
            foreach (var value in HostileValues.QueryValues(cases.Ids))
            {
                cases.Http($"query {parameter} = {JsonMutations.Excerpt(value)}", route, $"{target}?{parameter}={value}", cases.Auth(route), Body(route, cases.Ids), HasBody(route) ? Json : null);
            }
            cases.Http($"query {parameter} repeated", route, $"{target}?{parameter}=1&{parameter}=2&{parameter}=%00", cases.Auth(route));
            cases.Http($"query {parameter} without value", route, $"{target}?{parameter}&{parameter}=", cases.Auth(route));
        }
        if (route.Method == "GET")
        {
            cases.Http("query 2,000 parameters", route, target + "?" + string.Join('&', Enumerable.Range(0, 2_000).Select(i => $"p{i}={i}")), cases.Auth(route));
            cases.Http("query %00 key", route, target + "?%00=%00&&&==&%FF=%FE", cases.Auth(route));
        }
    }

    private static void Bodies(CaseList cases, FuzzRoute route, Random random)
    {
        if (route.Method is not ("POST" or "PUT"))
        {
            return;
        }
        if (route.Template == "/dashboard/login")
        {
            LoginForms(cases, route);
            return;
        }
        if (!HasBody(route))
        {
            // A route that takes no body must ignore one, whatever it is.
            foreach (var (kind, body) in new[] { ("{}", "{}"u8.ToArray()), ("broken JSON", "{\"a\":"u8.ToArray()), ("NUL bytes", new byte[32]), ("1 MB", Encoding.ASCII.GetBytes(new string('{', 1_000_000))) })
            {
                cases.Http($"unexpected body {kind}", route, Target(route, cases.Ids), cases.Auth(route), body, Json);
            }
            cases.Http("unexpected body with charset=bogus", route, Target(route, cases.Ids), cases.Auth(route), "{}"u8.ToArray(), "application/json; charset=bogus");
            return;
        }
        var valid = ValidBody(route, cases.Ids);
        foreach (var (kind, body) in JsonMutations.Of(valid, cases.Ids, random, LeafMutationsPerBody))
        {
            cases.Http("body " + kind, route, Target(route, cases.Ids), cases.Auth(route), body, Json);
        }
        var validBytes = Encoding.UTF8.GetBytes(valid.ToJsonString());
        var types = ContentTypeTargets.Contains(route.Template) ? HostileValues.ContentTypes : HostileValues.ContentTypes.OrderBy(_ => random.Next()).Take(5).Append("application/json; charset=bogus");
        foreach (var type in types)
        {
            cases.Http($"content type {JsonMutations.Excerpt(type)}", route, Target(route, cases.Ids), cases.Auth(route), validBytes, type);
        }
        cases.Http("chunked valid body", route, Target(route, cases.Ids), cases.Auth(route), validBytes, Json, chunked: true);
        cases.Http("chunked 3 MB body", route, Target(route, cases.Ids), cases.Auth(route), Encoding.UTF8.GetBytes("[\"" + new string('c', 3_000_000) + "\"]"), Json, chunked: true);
    }

    private static void LoginForms(CaseList cases, FuzzRoute route)
    {
        const string Form = "application/x-www-form-urlencoded";
        string[] bodies =
        [
            "key=%00", "key=a%00b", "key=%FF%FE", "key=%zz", "key=%", "key=", "key", "=&&=&", "key=a&key=b", "key=" + cases.Ids.AdminKey + "%00",
            "key=" + new string('k', 100_000), string.Join('&', Enumerable.Range(0, 5_000).Select(i => $"k{i}=v")), "key=%C0%AF", "key=%ED%A0%80", "key=" + cases.Ids.AdminKey,
        ];
        foreach (var body in bodies)
        {
            cases.Http($"form {JsonMutations.Excerpt(body)}", route, route.Template, [], Encoding.Latin1.GetBytes(body), Form);
        }
        cases.Http("form raw NUL byte", route, route.Template, [], [.. "key="u8, 0, .. "x"u8], Form);
        cases.Http("form charset=bogus", route, route.Template, [], "key=x"u8.ToArray(), Form + "; charset=bogus");
        cases.Http("form as multipart without boundary", route, route.Template, [], "key=x"u8.ToArray(), "multipart/form-data");
        cases.Http("form as multipart with a broken part", route, route.Template, [], "--b\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nx"u8.ToArray(), "multipart/form-data; boundary=b");
        cases.Http("form as JSON", route, route.Template, [], "{\"key\":\"x\"}"u8.ToArray(), Json);
        cases.Http("form without content type", route, route.Template, [], "key=x"u8.ToArray());
        cases.Http("form 5 MB", route, route.Template, [], Encoding.ASCII.GetBytes("key=" + new string('k', 5_000_000)), Form);
    }

    private static void Credentials(CaseList cases, FuzzRoute route, Random random)
    {
        var ids = cases.Ids;
        string[] values =
        [
            "Bearer", "Bearer ", "Bearer garbage", "Bearer " + new string('k', 8_000), "Basic !!!not-base64!!!", "Basic " + Base64("no-colon"),
            "Basic " + Base64(":" + ids.AdminKey), "Basic " + Convert.ToBase64String([0xFF, 0xFE, 0x3A, 0x00]), "bearer " + ids.ApiKey, "Bearer  " + ids.ApiKey,
            "Bearer " + ids.ApiKey + " trailing", "Bearer " + ids.AdminKey, "Bearer " + ids.ApiKey.ToUpperInvariant(),
            "Digest username=\"x\"", "Bearer " + ids.OtherKeyId, "Bearer " + ids.ApiKey[..^1], "Negotiate YII=", "Bearer %00", "Bearer " + ids.OtherOrganizerId,
        ];
        var body = Body(route, ids);
        cases.Http("no credentials", route, Target(route, ids), [], body, body is null ? null : Json, Destroys(route));
        foreach (var value in values.OrderBy(_ => random.Next()).Take(4))
        {
            cases.Http($"credentials {JsonMutations.Excerpt(value)}", route, Target(route, ids), [new("Authorization", value)], body, body is null ? null : Json, Destroys(route));
        }
    }

    private static void WrongMethods(CaseList cases, IReadOnlyList<FuzzRoute> routes)
    {
        foreach (var group in routes.GroupBy(r => r.Template))
        {
            var route = group.First();
            var defined = group.Select(r => r.Method).ToHashSet(StringComparer.Ordinal);
            foreach (var method in new[] { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FUZZ" }.Where(m => !defined.Contains(m)))
            {
                var body = method is "GET" or "HEAD" or "TRACE" ? null : "{}"u8.ToArray();
                cases.Http($"method {method}", route, Target(route, cases.Ids), cases.Auth(route), body, body is null ? null : Json, destructive: method == "DELETE", method: method);
            }
        }
    }

    private static JsonNode ValidBody(FuzzRoute route, FuzzIds ids) => ValidBodies.For(route, ids);

    private static bool HasBody(FuzzRoute route) => route.Body is not null || route.Template == ValidBodies.LeadWebhook;

    private static byte[]? Body(FuzzRoute route, FuzzIds ids) => HasBody(route) ? Encoding.UTF8.GetBytes(ValidBody(route, ids).ToJsonString()) : null;

    /// <summary>A DELETE of the fixture's own pixel or audience: later cases would find it gone.</summary>
    private static bool Destroys(FuzzRoute route) => route.Method == "DELETE" && route.PathParameters.Any(p => p is "pixelId" or "audienceId");

    public static string Target(FuzzRoute route, FuzzIds ids, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var target = route.Template;
        foreach (var parameter in route.PathParameters)
        {
            var value = overrides?.GetValueOrDefault(parameter) ?? Uri.EscapeDataString(RealId(parameter, ids));
            target = target.Replace("{" + parameter + "}", value, StringComparison.Ordinal);
        }
        return target;
    }

    private static string RealId(string parameter, FuzzIds ids) => parameter switch
    {
        "organizerId" => ids.OrganizerId,
        // The spare key, never the one the fuzz authenticates with.
        "keyId" => ids.SpareKeyId,
        "pixelId" => ids.PixelId,
        "eventId" => ids.EventId,
        "audienceId" => ids.AudienceId,
        "leadId" => ids.LeadId ?? "7400000000000000001",
        "adId" => "7500000000000000001",
        "authorizationId" => ids.AuthorizationId ?? "fuzz_authorizationId",
        _ => "fuzz_" + parameter,
    };

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
