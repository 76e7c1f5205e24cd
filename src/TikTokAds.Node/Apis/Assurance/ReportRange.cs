using System.Globalization;

namespace TikTokAds.Node.Apis.Assurance;

/// <summary>
/// The query parameters of the assurance reports, checked and normalised: a range of UTC days (from, to as
/// YYYY-MM-DD, at most TikTok's 30 days, not in the future) and a match-quality window in hours.
/// </summary>
internal static class ReportRange
{
    public const int MaxDays = 30;
    public const int DefaultDays = 7;
    public const int MinHours = 1;
    public const int MaxHours = 30 * 24;
    public const int DefaultHours = 24;

    /// <summary>The days asked for; without from and to, the last <see cref="DefaultDays"/> days up to today.</summary>
    public static (DateOnly From, DateOnly To, Dictionary<string, string[]>? Errors) Days(string? from, string? to, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        var end = Day(to, "to", today, errors);
        var start = Day(from, "from", end.AddDays(1 - DefaultDays), errors);
        if (errors.Count == 0)
        {
            if (start > end)
            {
                errors["from"] = [$"from ({Text(start)}) is after to ({Text(end)})."];
            }
            else if (end.DayNumber - start.DayNumber + 1 > MaxDays)
            {
                errors["to"] = [$"The range spans {end.DayNumber - start.DayNumber + 1} days; at most {MaxDays} are allowed (TikTok's limit)."];
            }
            else if (end > today)
            {
                errors["to"] = [$"to ({Text(end)}) is in the future; today is {Text(today)} (UTC)."];
            }
        }
        return (start, end, errors.Count == 0 ? null : errors);
    }

    public static (TimeSpan Window, Dictionary<string, string[]>? Errors) Hours(string? hours)
    {
        if (hours is null)
        {
            return (TimeSpan.FromHours(DefaultHours), null);
        }
        return int.TryParse(hours, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= MinHours and <= MaxHours
            ? (TimeSpan.FromHours(value), null)
            : (default, new Dictionary<string, string[]> { ["hours"] = [$"hours must be a whole number from {MinHours} to {MaxHours} (30 days)."] });
    }

    private static DateOnly Day(string? value, string name, DateOnly fallback, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return fallback;
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }
        errors[name] = [$"{name} must be a UTC date written YYYY-MM-DD."];
        return fallback;
    }

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
