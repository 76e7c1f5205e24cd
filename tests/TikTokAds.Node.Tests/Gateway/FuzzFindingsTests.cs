using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TikTokAds.Node.Tests.Fuzz;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>
/// Requests the fuzz suite (<see cref="HostileRequestTests"/>) found answered with a 500, one test per cause, on
/// a PostgreSQL node over Kestrel (the raw ones need real sockets): each is a 4xx ProblemDetails now.
/// </summary>
public sealed class FuzzFindingsTests(KestrelGatewayFactory factory) : IClassFixture<KestrelGatewayFactory>, IAsyncLifetime
{
    private const string Api = "/api/integrations/tiktok-ads";
    private string _key = null!;

    public async Task InitializeAsync() => (_key, _, _) = await factory.PixelAsync("Fuzz findings");

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("GET", "/api/admin/organizers/-1")]
    [InlineData("GET", "/api/admin/organizers/%20")]
    [InlineData("GET", "/api/admin/organizers/org_/keys")]
    [InlineData("POST", "/api/admin/organizers/ORG_ABC/keys")]
    [InlineData("DELETE", "/api/admin/organizers/NaN/keys/k1")]
    public async Task An_id_no_organizer_can_have_is_a_404_on_the_admin_routes(string method, string path)
    {
        using var admin = factory.Admin();

        using var response = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_dot_segment_with_a_semicolon_under_the_organizers_is_a_404()
    {
        var answer = await SendRawAsync("GET /api/admin/organizers/..;/ HTTP/1.1", [$"Authorization: Bearer {GatewayFactory.AdminKey}"]);

        Assert.Equal([404], answer.Statuses);
    }

    [Theory]
    [InlineData(Api + "/events")]
    [InlineData("/api/admin/organizers")]
    [InlineData("/webhooks/tiktok/leads")]
    public async Task A_nul_in_a_chunked_trailer_is_a_400(string path)
    {
        var body = """{"name":"Trailer"}"""u8.ToArray();
        var authorization = path.StartsWith("/api/admin", StringComparison.Ordinal) ? GatewayFactory.AdminKey : _key;

        var answer = await SendRawAsync($"POST {path} HTTP/1.1", [$"Authorization: Bearer {authorization}", "Content-Type: application/json", "Transfer-Encoding: chunked"],
            [.. Encoding.ASCII.GetBytes($"{body.Length:x}\r\n"), .. body, .. "\r\n0\r\nX-T: a\0b\r\n\r\n"u8]);

        Assert.True(answer.Statuses is [400], answer.Excerpt);
        Assert.Contains("invalid_request", answer.Excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunk_size_that_overflows_is_a_400_where_an_endpoint_reads_the_body_itself()
    {
        var answer = await SendRawAsync("POST /webhooks/tiktok/leads HTTP/1.1", ["Content-Type: application/json", "Transfer-Encoding: chunked"],
            "fffffffffffffffffffffff\r\n{}\r\n0\r\n\r\n"u8.ToArray());

        Assert.True(answer.Statuses is [400], answer.Excerpt);
    }

    [Fact]
    public async Task A_dashboard_login_whose_multipart_body_ends_inside_a_part_is_a_400()
    {
        using var browser = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = factory.ServerAddress });
        using var content = new ByteArrayContent("--b\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nx"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");

        using var response = await browser.PostAsync("/dashboard/login", content);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    private async Task<RawHttp.Answer> SendRawAsync(string requestLine, IEnumerable<string> headers, byte[]? body = null)
        => await RawHttp.SendAsync(factory.ServerAddress.Port, RawHttp.Build(requestLine, headers, body), halfClose: false, TimeSpan.FromSeconds(30));

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, (string?)JsonNode.Parse(body)?["code"]);
    }
}
