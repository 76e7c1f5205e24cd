using TikTokAds.Sandbox;
using TikTokAds.Testing;
using TikTokAds.TikTok.Models;

namespace TikTokAds.TikTok.Tests.Client;

/// <summary>Retries, timeouts and the per-token circuit breaker, against faults the sandbox injects.</summary>
public sealed class ResilienceTests : IAsyncLifetime
{
    private const string Pixel = "RESILIENCEPIXEL";
    private SandboxHost _sandbox = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(o => o.RequestsPerSecondPerPixel = 10_000);
        _token = _sandbox.AddToken(["7000000000000000042"], [Pixel]);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static TrackRequest OneEvent(string eventName = "Purchase") => new()
    {
        EventSource = "web",
        EventSourceId = Pixel,
        Data = [TrackEventJson.From(new TrackEvent { Event = eventName, EventTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), EventId = $"e-{Guid.NewGuid():N}" })],
    };

    [Fact]
    public async Task An_http_200_with_code_40002_is_not_a_success_and_is_not_retried()
    {
        var client = TestClients.Create(_sandbox.ApiBaseUrl);

        var response = await client.TrackEventsAsync(_token, OneEvent("Not A Valid Name"), CancellationToken.None);

        Assert.Equal(200, response.HttpStatus);
        Assert.Equal(40002, response.Code);
        Assert.Equal(TikTokOutcome.InvalidRequest, response.Outcome);
        Assert.False(response.IsSuccess);
        Assert.NotNull(response.RequestId);
        Assert.Equal(1, _sandbox.CallsTo("event/track/"));
    }

    [Theory]
    [InlineData(40100)]
    [InlineData(50002)]
    [InlineData(50000)]
    [InlineData(60001)]
    [InlineData(40202)]
    public async Task Throttled_and_transient_codes_are_retried_until_success(int code)
    {
        _sandbox.AddFault(new FaultRule { Path = "event/track/", Code = code, Count = 2 });
        var client = TestClients.Create(_sandbox.ApiBaseUrl);

        var response = await client.TrackEventsAsync(_token, OneEvent(), CancellationToken.None);

        Assert.True(response.IsSuccess, response.ToString());
        Assert.Equal(3, _sandbox.CallsTo("event/track/"));
    }

    [Theory]
    [InlineData(20001, TikTokOutcome.Success)]
    [InlineData(40100, TikTokOutcome.Throttled)]
    [InlineData(40016, TikTokOutcome.Throttled)]
    [InlineData(40132, TikTokOutcome.Throttled)]
    [InlineData(40133, TikTokOutcome.Throttled)]
    [InlineData(40000, TikTokOutcome.InvalidRequest)]
    [InlineData(40002, TikTokOutcome.InvalidRequest)]
    [InlineData(40003, TikTokOutcome.InvalidRequest)]
    [InlineData(40011, TikTokOutcome.InvalidRequest)]
    [InlineData(40001, TikTokOutcome.Authorization)]
    [InlineData(40102, TikTokOutcome.Authorization)]
    [InlineData(40104, TikTokOutcome.Authorization)]
    [InlineData(40105, TikTokOutcome.Authorization)]
    [InlineData(40106, TikTokOutcome.Authorization)]
    [InlineData(50000, TikTokOutcome.Transient)]
    [InlineData(50002, TikTokOutcome.Transient)]
    [InlineData(51305, TikTokOutcome.Transient)]
    [InlineData(60001, TikTokOutcome.Transient)]
    [InlineData(40202, TikTokOutcome.Transient)]
    [InlineData(40700, TikTokOutcome.Transient)]
    public async Task Each_code_the_sandbox_answers_is_classified_from_the_body_not_the_http_status(int code, TikTokOutcome expected)
    {
        _sandbox.AddFault(new FaultRule { Path = "event/track/", Code = code, Count = 1 });
        var client = TestClients.Create(_sandbox.ApiBaseUrl, o => o.MaxRetries = 0);

        var response = await client.TrackEventsAsync(_token, OneEvent(), CancellationToken.None);

        Assert.Equal(200, response.HttpStatus);
        Assert.Equal(code, response.Code);
        Assert.Equal(expected, response.Outcome);
        Assert.NotNull(response.RequestId);
    }

    [Fact]
    public async Task A_throttle_is_retried_only_after_a_backoff()
    {
        _sandbox.AddFault(new FaultRule { Path = "event/track/", Code = 40100, Count = 1 });
        var client = TestClients.Create(_sandbox.ApiBaseUrl, o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;

        var response = await client.TrackEventsAsync(_token, OneEvent(), CancellationToken.None);

        Assert.True(response.IsSuccess);
        // Jitter keeps the first delay between about half and one and a half times the base.
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(100), "the retry came without a backoff");
    }

    [Fact]
    public async Task An_unknown_token_surfaces_as_an_authorisation_failure_without_retries()
    {
        var client = TestClients.Create(_sandbox.ApiBaseUrl);

        var response = await client.TrackEventsAsync("not-a-token", OneEvent(), CancellationToken.None);

        Assert.Equal(40105, response.Code);
        Assert.Equal(TikTokOutcome.Authorization, response.Outcome);
        Assert.True(response.RequiresReauthorisation);
        Assert.Equal(1, _sandbox.CallsTo("event/track/"));
    }

    [Fact]
    public async Task An_attempt_that_times_out_is_retried()
    {
        _sandbox.AddFault(new FaultRule { Path = "event/track/", Timeout = true, Count = 1 });
        // Long enough that a normal answer never times out on a loaded machine; the injected hang lasts minutes.
        var client = TestClients.Create(_sandbox.ApiBaseUrl, o => o.AttemptTimeout = TimeSpan.FromSeconds(2));

        var response = await client.TrackEventsAsync(_token, OneEvent(), CancellationToken.None);

        Assert.True(response.IsSuccess, response.ToString());
        Assert.Equal(2, _sandbox.CallsTo("event/track/"));
    }

    [Fact]
    public async Task Http_5xx_is_retried_and_a_wrong_path_is_not()
    {
        _sandbox.AddFault(new FaultRule { Path = "event/track/", HttpStatus = 503, Count = 1 });
        var client = TestClients.Create(_sandbox.ApiBaseUrl);

        var retried = await client.TrackEventsAsync(_token, OneEvent(), CancellationToken.None);
        var wrongPath = TestClients.Create(_sandbox.ApiBaseUrl.Replace("v1.3", "v9.9", StringComparison.Ordinal));
        var notFound = await wrongPath.TrackEventsAsync(_token, OneEvent(), CancellationToken.None);

        Assert.True(retried.IsSuccess);
        Assert.Equal(404, notFound.HttpStatus);
        Assert.Equal(TikTokOutcome.InvalidRequest, notFound.Outcome);
    }

    [Fact]
    public async Task When_retries_run_out_the_last_answer_is_returned()
    {
        _sandbox.AddFault(new FaultRule { Path = "event/track/", Code = 50002 });
        var client = TestClients.Create(_sandbox.ApiBaseUrl, o => { o.MaxRetries = 3; o.BreakerMinimumThroughput = 100; });

        var response = await client.TrackEventsAsync(_token, OneEvent(), CancellationToken.None);

        Assert.Equal(50002, response.Code);
        Assert.Equal(TikTokOutcome.Transient, response.Outcome);
        Assert.Equal(4, _sandbox.CallsTo("event/track/"));
    }

    [Fact]
    public async Task A_failing_token_opens_its_own_circuit_and_leaves_other_tokens_alone()
    {
        var healthy = _sandbox.AddToken(["7000000000000000042"], [Pixel]);
        _sandbox.AddFault(new FaultRule { Path = "event/track/", Code = 50002, AccessToken = _token });
        var client = TestClients.Create(_sandbox.ApiBaseUrl, o =>
        {
            o.MaxRetries = 0;
            o.BreakerMinimumThroughput = 4;
            o.BreakerFailureRatio = 0.5;
            o.BreakDuration = TimeSpan.FromMinutes(1);
        });

        for (var i = 0; i < 4; i++)
        {
            await client.TrackEventsAsync(_token, OneEvent(), CancellationToken.None);
        }
        var sentBefore = _sandbox.CallsTo("event/track/");
        var blocked = await client.TrackEventsAsync(_token, OneEvent(), CancellationToken.None);
        var other = await client.TrackEventsAsync(healthy, OneEvent(), CancellationToken.None);

        Assert.Equal(TikTokCodes.CircuitOpen, blocked.Code);
        Assert.Equal(TikTokOutcome.Transient, blocked.Outcome);
        Assert.True(other.IsSuccess, other.ToString());
        Assert.Equal(sentBefore + 1, _sandbox.CallsTo("event/track/"));
    }

    [Fact]
    public async Task More_than_a_thousand_events_are_refused_before_sending()
    {
        var client = TestClients.Create(_sandbox.ApiBaseUrl);
        var request = OneEvent() with { Data = [.. Enumerable.Repeat(OneEvent().Data[0], 1001)] };

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.TrackEventsAsync(_token, request, CancellationToken.None));
        Assert.Equal(0, _sandbox.CallsTo("event/track/"));
    }
}
