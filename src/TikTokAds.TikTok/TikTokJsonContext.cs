using System.Text.Json;
using System.Text.Json.Serialization;
using TikTokAds.TikTok.Models;

namespace TikTokAds.TikTok;

/// <summary>TikTok's wire format: snake_case names, nulls left out (so a missing mapping id is {}).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(TrackRequest))]
[JsonSerializable(typeof(TrackEvent))]
[JsonSerializable(typeof(SegmentAudienceRequest))]
[JsonSerializable(typeof(SegmentAudienceResult))]
[JsonSerializable(typeof(SegmentMappingRequest))]
[JsonSerializable(typeof(IReadOnlyList<IReadOnlyList<SegmentId>>))]
[JsonSerializable(typeof(CustomAudienceCreateRequest))]
[JsonSerializable(typeof(CustomAudienceUpdateRequest))]
[JsonSerializable(typeof(CustomAudienceIdResult))]
[JsonSerializable(typeof(CustomAudienceDeleteRequest))]
[JsonSerializable(typeof(CustomAudienceList))]
[JsonSerializable(typeof(FileUploadResult))]
[JsonSerializable(typeof(LookalikeCreateRequest))]
[JsonSerializable(typeof(AdGroupList))]
[JsonSerializable(typeof(CustomAudienceApplyRequest))]
[JsonSerializable(typeof(AccessTokenRequest))]
[JsonSerializable(typeof(AccessTokenResult))]
[JsonSerializable(typeof(AuthorizedAdvertiserList))]
[JsonSerializable(typeof(AdvertiserInfoList))]
[JsonSerializable(typeof(PixelList))]
[JsonSerializable(typeof(LeadTaskRequest))]
[JsonSerializable(typeof(LeadTaskResult))]
[JsonSerializable(typeof(LeadFormList))]
[JsonSerializable(typeof(LeadSubscriptionRequest))]
[JsonSerializable(typeof(LeadSubscriptionResult))]
[JsonSerializable(typeof(StatsDateRange))]
[JsonSerializable(typeof(PixelEventStatsList))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string[]))]
public sealed partial class TikTokJsonContext : JsonSerializerContext;
