using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using TikTokAds.Node.Apis.Events;

namespace TikTokAds.Node.Gateway;

/// <summary>
/// Event bodies over Events:MaxBodyBytes get 413 before a byte is parsed: at once when Content-Length
/// says so, and through the server's body limit when the body is chunked.
/// </summary>
internal sealed class EventBodyLimit(RequestDelegate next, IOptions<EventsOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large", $"An events body may be at most {limit:N0} bytes.")
                .ExecuteAsync(context);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        return next(context);
    }
}
