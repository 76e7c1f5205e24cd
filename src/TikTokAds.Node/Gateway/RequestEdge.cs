using System.Net.Http.Headers;

namespace TikTokAds.Node.Gateway;

/// <summary>
/// The checks every request passes before any endpoint sees it, whatever the storage provider: a body
/// declared in a charset other than UTF-8 (or in an unreadable Content-Type that names one) is refused with
/// 415, and a NUL character (which PostgreSQL's text cannot hold) in a query parameter with 400 naming the
/// parameter. NULs inside JSON bodies are refused by <see cref="StorableStringConverter"/> while the body is
/// read; the server itself refuses one in the path.
/// </summary>
internal sealed class RequestEdge(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentType is { } contentType && contentType.Contains("charset", StringComparison.OrdinalIgnoreCase))
        {
            if (!IsUtf8(contentType, out var mediaType, out var charset))
            {
                return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_charset", "Unsupported charset",
                    $"Request bodies are read as UTF-8; the declared charset '{charset}' is not accepted. Send UTF-8 (or leave the charset out).").ExecuteAsync(context);
            }
            // Every spelling of UTF-8 ("utf8", quoted, upper case) means the default, and the readers behind the
            // endpoints know only some spellings: the charset is dropped, so they all read UTF-8.
            request.ContentType = mediaType;
        }
        if (request.QueryString.HasValue && request.QueryString.Value!.Contains("%00", StringComparison.Ordinal))
        {
            foreach (var (name, values) in request.Query)
            {
                if (name.Contains('\0', StringComparison.Ordinal) || values.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true))
                {
                    return Refuse(context, name.Replace("\0", "\\u0000", StringComparison.Ordinal));
                }
            }
        }
        return next(context);
    }

    /// <summary>
    /// Whether a Content-Type that names a charset names UTF-8 (or its ASCII subset); <paramref name="mediaType"/>
    /// is the header without the charset, <paramref name="charset"/> the declared one, cut short for the answer.
    /// </summary>
    internal static bool IsUtf8(string contentType, out string mediaType, out string charset)
    {
        mediaType = contentType;
        charset = contentType.Length > 60 ? contentType[..60] + "…" : contentType;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }
        var declared = media.CharSet?.Trim().Trim('"') ?? "";
        charset = declared.Length > 40 ? declared[..40] + "…" : declared;
        media.CharSet = null;
        mediaType = media.ToString();
        return declared is "" || declared.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || declared.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            || declared.Equals("us-ascii", StringComparison.OrdinalIgnoreCase);
    }

    private static Task Refuse(HttpContext context, string field)
        => Problems.Invalid(new Dictionary<string, string[]> { [field] = [StorableStringConverter.NulMessage] },
            $"'{field}' contains a NUL character (\\u0000), which cannot be stored; nothing was accepted.").ExecuteAsync(context);
}
