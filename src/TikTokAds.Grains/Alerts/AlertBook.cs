using TikTokAds.Contracts.Alerts;

namespace TikTokAds.Grains.Alerts;

/// <summary>
/// Turns the conditions found now into alert transitions: a new condition fires an alert, a held one keeps it
/// active (last seen), and an active alert whose condition is gone resolves. Pure over the state.
/// </summary>
public static class AlertBook
{
    public sealed record Transition(IReadOnlyList<AlertView> Active, IReadOnlyList<AlertView> Fired, IReadOnlyList<AlertView> Resolved);

    public static Transition Apply(IReadOnlyList<AlertView> active, IReadOnlyList<AlertCondition> conditions, DateTimeOffset now)
    {
        var current = active.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var holding = new List<AlertView>();
        var fired = new List<AlertView>();
        foreach (var condition in conditions.DistinctBy(c => c.Id))
        {
            if (current.TryGetValue(condition.Id, out var alert))
            {
                holding.Add(alert with { Message = condition.Message, Value = condition.Value, Threshold = condition.Threshold, LastSeenAt = now });
            }
            else
            {
                var raised = new AlertView(condition.Id, condition.Rule, condition.PixelId, "active", condition.Message, condition.Value, condition.Threshold, now, now, null);
                holding.Add(raised);
                fired.Add(raised);
            }
        }
        var held = conditions.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var resolved = active.Where(a => !held.Contains(a.Id)).Select(a => a with { State = "resolved", ResolvedAt = now }).ToList();
        return new Transition(holding, fired, resolved);
    }
}
