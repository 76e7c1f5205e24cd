using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TikTokAds.Testing;

/// <summary>An organizer's call-back receiver on a loopback port: records every request; can fail the first few.</summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    private CallbackReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    /// <summary>Every request in arrival order: headers (lower-case names) and body.</summary>
    public ConcurrentQueue<ReceivedCall> Calls { get; } = new();

    /// <summary>The next this-many requests get HTTP 500.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    /// <summary>Starts on <paramref name="port"/> (a free one when not given): a test can name the address before anything listens there.</summary>
    public static async Task<CallbackReceiver> StartAsync(int? port = null)
    {
        port ??= FreePort.Next();
        var builder = WebApplication.CreateBuilder(["--urls", $"http://127.0.0.1:{port}"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var receiver = new CallbackReceiver(app, $"http://127.0.0.1:{port}/leads");
        app.MapPost("/leads", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            receiver.Calls.Enqueue(new ReceivedCall(request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body));
            return Interlocked.Decrement(ref receiver._failuresLeft) >= 0 ? Results.StatusCode(500) : Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedCall(IReadOnlyDictionary<string, string> Headers, string Body);
