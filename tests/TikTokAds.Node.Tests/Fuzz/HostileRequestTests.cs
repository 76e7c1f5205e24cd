using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Xunit.Abstractions;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>
/// The fuzz suite: every route of the OpenAPI document (and the anonymous ones it leaves out) gets malformed and
/// hostile requests, on an embedded node and on a PostgreSQL one, with valid requests interleaved and cross-tenant
/// probes. Bad input must get a 4xx: any 5xx, dropped connection or hang is a finding, and so is a valid request
/// that fails, a probe that is not a 404/403, a node that is not ready afterwards, a neighbour organizer whose data
/// changed, or a NUL that was stored.
/// </summary>
public sealed class HostileRequestTests(ITestOutputHelper output)
{
    /// <summary>Fixed, so a finding reproduces by its case number; the environment variable explores other runs.</summary>
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("TIKTOKADS_FUZZ_SEED"), out var seed) ? seed : 17_2026;

    private const int Concurrency = 8;
    private const int MinimumRequests = 1_000;

    [Fact]
    public async Task Embedded_node_answers_every_hostile_request_without_a_5xx_or_a_dropped_connection()
    {
        await using var target = await FuzzTarget.EmbeddedAsync();

        await FuzzAsync(target);
    }

    [Fact]
    public async Task Postgres_node_answers_every_hostile_request_without_a_5xx_or_a_dropped_connection()
    {
        await using var target = await FuzzTarget.PostgresAsync();

        await FuzzAsync(target);
    }

    private async Task FuzzAsync(FuzzTarget target)
    {
        var routes = OpenApiRoutes.Read(target.OpenApi);
        var cases = CaseList.Make(routes, target.Ids, Seed);
        var neighbour = await StoredState.NeighbourAsync(target.Node.Http, target.Ids);

        var clock = Stopwatch.StartNew();
        var outcomes = await FuzzRunner.RunAsync(target.Node.BaseAddress, cases, Concurrency);
        clock.Stop();
        var afterwards = await AfterwardsAsync(target, neighbour);

        var findings = outcomes.Where(o => o.Failed).ToList();
        output.WriteLine($"[{target.Provider}] seed {Seed}, {routes.Count} routes ({routes.Count(r => r.Body is not null)} with a JSON body), lead fixture: {target.Ids.LeadId ?? "none"}, " +
            $"{cases.Count(c => c.Expect == FuzzExpectation.Success)} valid requests interleaved, {cases.Count(c => c.Expect == FuzzExpectation.NotFoundOrForbidden)} cross-tenant probes");
        output.WriteLine(FuzzReport.Histogram(target.Provider, outcomes, clock.Elapsed));
        output.WriteLine($"[{target.Provider}] afterwards: {afterwards ?? "running and ready"}");
        if (findings.Count > 0 || afterwards is not null)
        {
            output.WriteLine(FuzzReport.Findings(outcomes));
            output.WriteLine($"\n[{target.Provider}] node error log entries:\n{FuzzReport.NodeErrors(target.Node.Output)}");
            output.WriteLine($"[{target.Provider}] last node log lines:\n{FuzzReport.Tail(target.Node.Output, 40)}");
        }
        Assert.True(routes.Count >= 40, $"only {routes.Count} routes derived from the OpenAPI document");
        Assert.True(outcomes.Count >= MinimumRequests, $"only {outcomes.Count} requests");
        Assert.Null(afterwards);
        Assert.True(findings.Count == 0, $"{findings.Count} of {outcomes.Count} hostile requests got a 5xx, a dropped connection or no answer; see the test output");
    }

    /// <summary>
    /// Null when the node still runs, is ready and serves its organizer, the neighbour's data is as it was, and no
    /// NUL was stored; else what is wrong.
    /// </summary>
    private static async Task<string?> AfterwardsAsync(FuzzTarget target, string neighbourBefore)
    {
        if (target.Node.HasExited)
        {
            return "the node process exited";
        }
        try
        {
            using var ready = await target.Node.Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/integrations/tiktok-ads/connection", UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.Ids.ApiKey);
            using var connection = await target.Node.Http.SendAsync(request);
            if (ready.StatusCode != HttpStatusCode.OK || connection.StatusCode != HttpStatusCode.OK)
            {
                return $"/health/ready answered {(int)ready.StatusCode}, GET /connection with the organizer's key {(int)connection.StatusCode}";
            }
            var neighbourAfter = await StoredState.NeighbourAsync(target.Node.Http, target.Ids);
            if (neighbourAfter != neighbourBefore)
            {
                return $"the neighbour organizer's data changed:\nbefore:\n{neighbourBefore}after:\n{neighbourAfter}";
            }
            var nuls = (await StoredState.NulsInAnswersAsync(target.Node.Http, target.Ids))
                .Concat(target.Postgres is null ? [] : await StoredState.NulsInDatabaseAsync(target.Postgres)).ToList();
            return nuls.Count > 0 ? $"a NUL was stored:\n{string.Join('\n', nuls)}" : null;
        }
        catch (HttpRequestException e)
        {
            return $"the node does not answer: {e.Message}";
        }
    }
}
