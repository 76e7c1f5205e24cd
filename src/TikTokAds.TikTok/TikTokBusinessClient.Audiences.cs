using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using TikTokAds.TikTok.Models;

namespace TikTokAds.TikTok;

public sealed partial class TikTokBusinessClient
{
    public Task<TikTokResponse<SegmentAudienceResult>> CreateSegmentAudienceAsync(string accessToken, string advertiserId, string name, CancellationToken cancellationToken)
        => SendAsync("segment/audience/create", accessToken,
            Post("segment/audience/", new SegmentAudienceRequest { AdvertiserId = advertiserId, Action = "create", CustomAudienceName = name }, TikTokJsonContext.Default.SegmentAudienceRequest),
            TikTokJsonContext.Default.SegmentAudienceResult, cancellationToken);

    public Task<TikTokResponse<SegmentAudienceResult>> DeleteSegmentAudienceAsync(string accessToken, string advertiserId, string audienceId, CancellationToken cancellationToken)
        => SendAsync("segment/audience/delete", accessToken,
            Post("segment/audience/", new SegmentAudienceRequest { AdvertiserId = advertiserId, Action = "delete", DeleteAudienceId = audienceId }, TikTokJsonContext.Default.SegmentAudienceRequest),
            TikTokJsonContext.Default.SegmentAudienceResult, cancellationToken);

    /// <summary>POST segment/mapping/: adds or deletes users, each a list aligned to id_schema.</summary>
    public Task<TikTokResponse<System.Text.Json.JsonElement>> MapSegmentAsync(string accessToken, SegmentMappingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.BatchData.Aligned(request.IdSchema.Count))
        {
            throw new ArgumentException("Every user in batch_data must have one entry per id_schema position.", nameof(request));
        }
        return SendAsync($"segment/mapping/{request.Action}", accessToken, Post("segment/mapping/", request, TikTokJsonContext.Default.SegmentMappingRequest), TikTokJsonContext.Default.JsonElement, cancellationToken);
    }

    public Task<TikTokResponse<CustomAudienceIdResult>> CreateCustomAudienceAsync(string accessToken, CustomAudienceCreateRequest request, CancellationToken cancellationToken)
        => SendAsync("dmp/custom_audience/create", accessToken, Post("dmp/custom_audience/create/", request, TikTokJsonContext.Default.CustomAudienceCreateRequest), TikTokJsonContext.Default.CustomAudienceIdResult, cancellationToken);

    public Task<TikTokResponse<CustomAudienceIdResult>> UpdateCustomAudienceAsync(string accessToken, CustomAudienceUpdateRequest request, CancellationToken cancellationToken)
        => SendAsync("dmp/custom_audience/update", accessToken, Post("dmp/custom_audience/update/", request, TikTokJsonContext.Default.CustomAudienceUpdateRequest), TikTokJsonContext.Default.CustomAudienceIdResult, cancellationToken);

    /// <summary>GET dmp/custom_audience/get/ for 1 to 100 audiences.</summary>
    public Task<TikTokResponse<CustomAudienceList>> GetCustomAudiencesAsync(string accessToken, string advertiserId, IReadOnlyList<string> audienceIds, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(audienceIds.Count, 100);
        return SendAsync("dmp/custom_audience/get", accessToken,
            Get("dmp/custom_audience/get/", ("advertiser_id", advertiserId), ("custom_audience_ids", JsonArray(audienceIds))),
            TikTokJsonContext.Default.CustomAudienceList, cancellationToken);
    }

    public Task<TikTokResponse<CustomAudienceList>> ListCustomAudiencesAsync(string accessToken, string advertiserId, int page, int pageSize, CancellationToken cancellationToken)
        => SendAsync("dmp/custom_audience/list", accessToken,
            Get("dmp/custom_audience/list/", ("advertiser_id", advertiserId), ("page", page.ToString(CultureInfo.InvariantCulture)), ("page_size", Math.Clamp(pageSize, 1, 100).ToString(CultureInfo.InvariantCulture))),
            TikTokJsonContext.Default.CustomAudienceList, cancellationToken);

    public Task<TikTokResponse<System.Text.Json.JsonElement>> DeleteCustomAudiencesAsync(string accessToken, string advertiserId, IReadOnlyList<string> audienceIds, CancellationToken cancellationToken)
        => SendAsync("dmp/custom_audience/delete", accessToken,
            Post("dmp/custom_audience/delete/", new CustomAudienceDeleteRequest(advertiserId, audienceIds), TikTokJsonContext.Default.CustomAudienceDeleteRequest),
            TikTokJsonContext.Default.JsonElement, cancellationToken);

    /// <summary>POST dmp/custom_audience/file/upload/ (multipart): one identifier per line, with its MD5 as file_signature.</summary>
    public Task<TikTokResponse<FileUploadResult>> UploadCustomAudienceFileAsync(string accessToken, string advertiserId, string calculateType, string fileName, byte[] content, CancellationToken cancellationToken)
    {
#pragma warning disable CA5351 // TikTok's API names MD5 as the file signature; it is an integrity check, not security.
        var signature = Convert.ToHexStringLower(MD5.HashData(content));
#pragma warning restore CA5351
        return SendAsync("dmp/custom_audience/file/upload", accessToken, () =>
        {
            var form = new MultipartFormDataContent
            {
                { new StringContent(advertiserId), "advertiser_id" },
                { new StringContent(calculateType), "calculate_type" },
                { new StringContent(signature), "file_signature" },
            };
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "file", fileName);
            return new HttpRequestMessage(HttpMethod.Post, "dmp/custom_audience/file/upload/") { Content = form };
        }, TikTokJsonContext.Default.FileUploadResult, cancellationToken);
    }

    public Task<TikTokResponse<CustomAudienceIdResult>> CreateLookalikeAsync(string accessToken, LookalikeCreateRequest request, CancellationToken cancellationToken)
        => SendAsync("dmp/custom_audience/lookalike/create", accessToken, Post("dmp/custom_audience/lookalike/create/", request, TikTokJsonContext.Default.LookalikeCreateRequest), TikTokJsonContext.Default.CustomAudienceIdResult, cancellationToken);
}
