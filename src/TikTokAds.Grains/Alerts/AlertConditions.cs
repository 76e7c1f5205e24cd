using System.Globalization;
using TikTokAds.Contracts.Alerts;

namespace TikTokAds.Grains.Alerts;

/// <summary>A rule's condition that holds now for one pixel.</summary>
public sealed record AlertCondition(string Rule, string PixelId, string Message, double? Value, double? Threshold)
{
    public string Id => $"{Rule}:{PixelId}";
}

/// <summary>What the organizer's own records say about a pixel besides its signals.</summary>
public sealed record PixelContext(PixelSignals Signals, bool ReauthorizationRequired, ReconciliationGapSignal? Gap);

/// <summary>A reconciliation gap TikTok's counts show for a pixel (flagged over its threshold).</summary>
public sealed record ReconciliationGapSignal(string Detail, double GapRatio);

/// <summary>Which rule conditions hold now, from each pixel's signals. Pure: the same inputs give the same alerts.</summary>
public static class AlertConditions
{
    /// <summary>How far back deliveries are read: the last full hour and the same hour on the 7 days before.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(8);

    public static IReadOnlyList<AlertCondition> Evaluate(AlertRules rules, IEnumerable<PixelContext> pixels, DateTimeOffset now)
    {
        var found = new List<AlertCondition>();
        foreach (var pixel in pixels)
        {
            var s = pixel.Signals;
            if (rules.ReauthorizationRequired.Enabled && pixel.ReauthorizationRequired)
            {
                found.Add(new(AlertRuleNames.ReauthorizationRequired, s.PixelId, "TikTok rejects this pixel's access token: connect it again (new token or OAuth).", null, null));
            }
            if (!s.Connected)
            {
                continue;
            }
            if (rules.OldestWaiting is { Enabled: true } waiting && s.OldestWaitingAt is { } oldest && now - oldest > TimeSpan.FromMinutes(waiting.Minutes))
            {
                var minutes = (now - oldest).TotalMinutes;
                found.Add(new(AlertRuleNames.OldestWaiting, s.PixelId, Format($"The oldest of {s.Waiting} waiting events has waited {minutes:0} minutes (more than {waiting.Minutes})."), Math.Round(minutes, 1), waiting.Minutes));
            }
            if (rules.BudgetExhausted.Enabled && s.BudgetLeftToday == 0 && s.Waiting > 0)
            {
                found.Add(new(AlertRuleNames.BudgetExhausted, s.PixelId, Format($"The day's event budget is spent and {s.Waiting} events wait for the next UTC day."), 0, null));
            }
            if (FailureRatio(rules.FailureRatio, s) is { } failure)
            {
                found.Add(failure);
            }
            if (DeliveryDrop(rules.DeliveryDrop, s, now) is { } drop)
            {
                found.Add(drop);
            }
            if (rules.ReconciliationGap.Enabled && pixel.Gap is { } gap)
            {
                found.Add(new(AlertRuleNames.ReconciliationGap, s.PixelId, gap.Detail, Math.Round(gap.GapRatio, 4), null));
            }
        }
        return found;
    }

    private static AlertCondition? FailureRatio(FailureRatioRule rule, PixelSignals s)
    {
        var total = s.RequestsInWindow.Values.Sum();
        if (!rule.Enabled || total < rule.MinRequests)
        {
            return null;
        }
        var failed = total - s.RequestsInWindow.GetValueOrDefault("success");
        var ratio = (double)failed / total;
        return ratio > rule.AboveRatio
            ? new(AlertRuleNames.FailureRatio, s.PixelId, Format($"{failed} of the last {total} requests to TikTok failed in {rule.WindowMinutes} minutes ({ratio:P0}; the limit is {rule.AboveRatio:P0})."), Math.Round(ratio, 4), rule.AboveRatio)
            : null;
    }

    /// <summary>The last full UTC hour against the mean of the same hour on the 7 days before, counting only days since the pixel first delivered.</summary>
    public static AlertCondition? DeliveryDrop(DeliveryDropRule rule, PixelSignals s, DateTimeOffset now)
    {
        if (!rule.Enabled || s.DeliveredByHour.Count == 0)
        {
            return null;
        }
        var lastHour = UtcHour.Of(now).AddHours(-1);
        var first = s.DeliveredByHour.Keys.Min();
        var days = Enumerable.Range(1, 7).Select(d => lastHour.AddDays(-d)).Where(h => h >= first).ToList();
        if (days.Count == 0)
        {
            return null;
        }
        var usual = days.Average(h => (double)s.DeliveredByHour.GetValueOrDefault(h));
        var actual = s.DeliveredByHour.GetValueOrDefault(lastHour);
        return usual >= rule.MinUsualPerHour && actual < rule.BelowRatio * usual
            ? new(AlertRuleNames.DeliveryDrop, s.PixelId, Format($"{actual} events were delivered between {lastHour:HH}:00 and {lastHour.AddHours(1):HH}:00 UTC; usually {usual:0} at that hour (the alert fires below {rule.BelowRatio:P0})."), actual, Math.Round(usual * rule.BelowRatio, 1))
            : null;
    }

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
