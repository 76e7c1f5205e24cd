using TikTokAds.Contracts.Alerts;
using TikTokAds.Grains.Alerts;

namespace TikTokAds.Grains.Tests.Alerts;

/// <summary>Which conditions hold for a pixel's signals, and how alerts fire and resolve.</summary>
public sealed class AlertRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 14, 20, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LastHour = new(2026, 12, 1, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_healthy_pixel_raises_nothing()
        => Assert.Empty(AlertConditions.Evaluate(AlertRules.Defaults, [Context(Signals())], Now));

    [Fact]
    public void An_event_waiting_longer_than_the_rule_allows_raises_oldest_waiting()
    {
        var found = AlertConditions.Evaluate(AlertRules.Defaults, [Context(Signals() with { Waiting = 4, OldestWaitingAt = Now.AddMinutes(-31) })], Now);

        var alert = Assert.Single(found);
        Assert.Equal("oldest_waiting:PX1", alert.Id);
        Assert.Equal(31, alert.Value);
        Assert.Equal(30, alert.Threshold);
    }

    [Fact]
    public void A_spent_budget_raises_an_alert_only_while_events_wait()
    {
        Assert.Equal(["budget_exhausted"], AlertConditions.Evaluate(AlertRules.Defaults, [Context(Signals() with { BudgetLeftToday = 0, Waiting = 2, OldestWaitingAt = Now })], Now).Select(c => c.Rule));
        Assert.Empty(AlertConditions.Evaluate(AlertRules.Defaults, [Context(Signals() with { BudgetLeftToday = 0 })], Now));
    }

    [Theory]
    [InlineData(100, 5, false)]
    [InlineData(100, 6, true)]
    [InlineData(3, 1, false)]
    public void Failed_requests_over_the_share_raise_failure_ratio_once_enough_were_sent(int total, int failed, bool raised)
    {
        var signals = Signals() with { RequestsInWindow = new Dictionary<string, long> { ["success"] = total - failed, ["transient"] = failed } };

        var found = AlertConditions.Evaluate(AlertRules.Defaults, [Context(signals)], Now);

        Assert.Equal(raised, found.Any(c => c.Rule == AlertRuleNames.FailureRatio));
    }

    [Fact]
    public void The_last_hour_far_below_the_same_hour_of_the_days_before_raises_delivery_drop()
    {
        var history = Enumerable.Range(1, 7).ToDictionary(d => LastHour.AddDays(-d), d => 400L + d);
        history[LastHour] = 90;

        var alert = AlertConditions.DeliveryDrop(AlertRules.Defaults.DeliveryDrop, Signals() with { DeliveredByHour = history }, Now);

        Assert.NotNull(alert);
        Assert.Equal(90, alert.Value);
        Assert.Equal(101, alert.Threshold);
    }

    [Fact]
    public void Delivery_drop_counts_only_days_since_the_pixel_first_delivered_and_needs_a_usual_level()
    {
        var young = new Dictionary<DateTimeOffset, long> { [LastHour.AddDays(-1)] = 400, [LastHour] = 300 };
        var quiet = Enumerable.Range(1, 7).ToDictionary(d => LastHour.AddDays(-d), _ => 50L);
        var youngButDropped = new Dictionary<DateTimeOffset, long> { [LastHour.AddDays(-1)] = 400, [LastHour] = 10 };

        Assert.Null(AlertConditions.DeliveryDrop(AlertRules.Defaults.DeliveryDrop, Signals() with { DeliveredByHour = young }, Now));
        Assert.Null(AlertConditions.DeliveryDrop(AlertRules.Defaults.DeliveryDrop, Signals() with { DeliveredByHour = quiet }, Now));
        Assert.Equal(400 * 0.25, AlertConditions.DeliveryDrop(AlertRules.Defaults.DeliveryDrop, Signals() with { DeliveredByHour = youngButDropped }, Now)?.Threshold);
    }

    [Fact]
    public void A_disabled_rule_raises_nothing_and_a_disconnected_pixel_only_reauthorization()
    {
        var rules = AlertRules.Defaults with { OldestWaiting = new OldestWaitingRule(false, 30) };
        var stale = Signals() with { Waiting = 4, OldestWaitingAt = Now.AddHours(-3) };

        Assert.Empty(AlertConditions.Evaluate(rules, [Context(stale)], Now));
        Assert.Equal(["reauthorization_required"], AlertConditions.Evaluate(AlertRules.Defaults, [new PixelContext(stale with { Connected = false }, true, null)], Now).Select(c => c.Rule));
    }

    [Fact]
    public void A_flagged_reconciliation_gap_raises_an_alert()
    {
        var found = AlertConditions.Evaluate(AlertRules.Defaults, [new PixelContext(Signals(), false, new ReconciliationGapSignal("CompletePayment 2026-11-30: 100 delivered, TikTok counted 98.", 0.02))], Now);

        Assert.Equal("reconciliation_gap:PX1", Assert.Single(found).Id);
    }

    [Fact]
    public void An_alert_fires_once_stays_active_while_its_condition_holds_and_resolves_when_it_clears()
    {
        var condition = new AlertCondition("oldest_waiting", "PX1", "waiting", 31, 30);

        var first = AlertBook.Apply([], [condition], Now);
        var second = AlertBook.Apply(first.Active, [condition with { Value = 40 }], Now.AddMinutes(1));
        var third = AlertBook.Apply(second.Active, [], Now.AddMinutes(2));

        Assert.Single(first.Fired);
        Assert.Empty(second.Fired);
        Assert.Equal(40, Assert.Single(second.Active).Value);
        Assert.Equal(Now, second.Active[0].FiredAt);
        Assert.Empty(third.Active);
        var resolved = Assert.Single(third.Resolved);
        Assert.Equal("resolved", resolved.State);
        Assert.Equal(Now.AddMinutes(2), resolved.ResolvedAt);
    }

    [Fact]
    public void Webhook_retries_wait_longer_each_time_up_to_the_cap()
    {
        var options = new AlertOptions();

        Assert.Equal(options.RetryBaseDelay, AlertNotifications.Backoff(options, 1));
        Assert.Equal(options.RetryBaseDelay * 8, AlertNotifications.Backoff(options, 4));
        Assert.Equal(options.RetryMaxDelay, AlertNotifications.Backoff(options, 30));
    }

    private static PixelSignals Signals() => new("PX1", true, 0, null, 50_000, new Dictionary<string, long> { ["success"] = 50 }, new Dictionary<DateTimeOffset, long>());

    private static PixelContext Context(PixelSignals signals) => new(signals, false, null);
}
