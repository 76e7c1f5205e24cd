using System.Net;

namespace TikTokAds.Grains.Tests.Leads;

/// <summary>The organizer's call-back receiver, in process: answers each request as told and keeps what it got.</summary>
internal sealed class CallbackStub(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler, IHttpClientFactory
{
    public CallbackStub(HttpStatusCode status) : this((_, _) => Task.FromResult(new HttpResponseMessage(status)))
    {
    }

    public List<(HttpRequestMessage Request, string Body)> Calls { get; } = [];

    public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Calls.Add((request, await request.Content!.ReadAsStringAsync(cancellationToken)));
        return await answer(request, cancellationToken);
    }
}
