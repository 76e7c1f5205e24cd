using System.Text.RegularExpressions;
using TikTokAds.Contracts.Segments;

namespace TikTokAds.Node.Apis.Segments;

/// <summary>A segment body checked field by field, every problem named, then made a definition.</summary>
internal static partial class SegmentValidator
{
    private const int MaxNames = 20;
    private const int MaxContentIds = 100;
    private const int MaxLookbackDays = 365;

    /// <param name="forPreview">A preview needs no audience: advertiser_id and audience_id are not required.</param>
    public static (SegmentDefinition? Definition, Dictionary<string, string[]> Errors) Validate(SegmentBody body, bool forPreview, int defaultHourUtc)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 128)
        {
            errors["name"] = ["A name of 1 to 128 characters is required."];
        }
        if (body.EventNames is not { Count: > 0 and <= MaxNames } names || names.Any(n => string.IsNullOrWhiteSpace(n) || n.Length > 64))
        {
            errors["event_names"] = [$"1 to {MaxNames} event names (for example CompletePayment), each 1 to 64 characters."];
        }
        if (body.LookbackDays is not (>= 1 and <= MaxLookbackDays))
        {
            errors["lookback_days"] = [$"The look-back window is required: 1 to {MaxLookbackDays} days."];
        }
        if (body.MinEvents is < 1 or > 100_000)
        {
            errors["min_events"] = ["When given, from 1 to 100000 events."];
        }
        if (body.MinValue is <= 0 or > 1_000_000_000_000m)
        {
            errors["min_value"] = ["When given, a total above 0."];
        }
        if (body.MinEvents is null && body.MinValue is null)
        {
            errors["min_events"] = ["min_events or min_value (or both) is required: a buyer qualifies with at least min_events events or at least min_value in total."];
        }
        if (body.Currency is { } currency && !Currency().IsMatch(currency))
        {
            errors["currency"] = ["An ISO 4217 code of three letters, for example EUR."];
        }
        else if (body.MinValue is not null && body.Currency is null)
        {
            errors["currency"] = ["min_value needs the currency its values are counted in."];
        }
        if (body.ContentIds is { } contentIds && (contentIds.Count > MaxContentIds || contentIds.Any(c => string.IsNullOrWhiteSpace(c) || c.Length > 128)))
        {
            errors["content_ids"] = [$"When given, up to {MaxContentIds} content ids, each 1 to 128 characters."];
        }
        var identifiers = body.Identifiers ?? ["email", "phone"];
        if (identifiers.Count == 0 || identifiers.Any(i => i is not ("email" or "phone")) || identifiers.Distinct().Count() != identifiers.Count)
        {
            errors["identifiers"] = ["email and/or phone, each at most once."];
        }
        if (body.AdvertiserId is { } advertiser && !Digits().IsMatch(advertiser))
        {
            errors["advertiser_id"] = ["The TikTok advertiser id: 1 to 32 digits."];
        }
        else if (!forPreview && body.AdvertiserId is null && body.AudienceId is null)
        {
            errors["advertiser_id"] = ["advertiser_id is required when no audience_id is given: the new audience is made under it."];
        }
        if (body.AudienceId is { } audienceId && !Id().IsMatch(audienceId))
        {
            errors["audience_id"] = ["An audience id of this organizer, as GET /audiences lists them."];
        }
        var schedule = body.Schedule ?? SegmentSchedules.Instant;
        if (schedule is not (SegmentSchedules.Instant or SegmentSchedules.Daily))
        {
            errors["schedule"] = ["instant (on demand and after every change) or daily (at hour_utc)."];
        }
        if (body.HourUtc is < 0 or > 23)
        {
            errors["hour_utc"] = ["An hour of the day in UTC, 0 to 23."];
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new SegmentDefinition(
            body.Name!.Trim(), [.. body.EventNames!.Select(n => n!.Trim()).Distinct(StringComparer.Ordinal)], body.LookbackDays!.Value, body.MinEvents, body.MinValue,
            body.Currency?.ToUpperInvariant(), [.. (body.ContentIds ?? []).Select(c => c!).Distinct(StringComparer.Ordinal)], [.. identifiers.Select(i => i!)],
            body.AdvertiserId, body.AudienceId, schedule, body.HourUtc ?? defaultHourUtc), errors);
    }

    [GeneratedRegex("^[0-9]{1,32}$")]
    private static partial Regex Digits();

    [GeneratedRegex("^[A-Za-z]{3}$")]
    private static partial Regex Currency();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    public static partial Regex Id();
}
