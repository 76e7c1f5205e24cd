using System.Diagnostics.Metrics;

namespace TikTokAds.Grains;

/// <summary>What happens to events and audience members, for /metrics and dashboards (meter TikTokAds.Domain).</summary>
public sealed class DomainMetrics
{
    public const string MeterName = "TikTokAds.Domain";

    private readonly Counter<long> _events;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _members;
    private readonly Counter<long> _leads;
    private readonly Counter<long> _forwards;
    private readonly Counter<long> _alertsFired;
    private readonly Counter<long> _alertsResolved;
    private readonly Counter<long> _alertNotifications;
    private readonly Counter<long> _writesRetaken;

    public DomainMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _events = meter.CreateCounter<long>("tiktokads.events.received", "{event}", "Events taken by pixels, by outcome: accepted, duplicate or skipped.");
        _delivered = meter.CreateCounter<long>("tiktokads.events.delivered", "{event}", "Events TikTok confirmed.");
        _failed = meter.CreateCounter<long>("tiktokads.events.failed", "{event}", "Events TikTok refused for good.");
        _members = meter.CreateCounter<long>("tiktokads.audience.members.synced", "{member}", "Audience rows TikTok confirmed, by action.");
        _leads = meter.CreateCounter<long>("tiktokads.leads.received", "{lead}", "TikTok leads received, by source (webhook, pull) and outcome (pending, not_forwarded, duplicate).");
        _forwards = meter.CreateCounter<long>("tiktokads.leads.forwards", "{attempt}", "Call-back attempts for leads, by outcome: forwarded, retry or failed.");
        _alertsFired = meter.CreateCounter<long>("tiktokads.alerts.fired", "{alert}", "Alerts that fired, by rule.");
        _alertsResolved = meter.CreateCounter<long>("tiktokads.alerts.resolved", "{alert}", "Alerts that resolved, by rule.");
        _alertNotifications = meter.CreateCounter<long>("tiktokads.alerts.notifications", "{notification}", "Alert webhook deliveries, by outcome: delivered, retry or dropped.");
        _writesRetaken = meter.CreateCounter<long>("tiktokads.store.writes.retaken", "{write}", "PostgreSQL writes of new rows that met a stored one and ran again with ON CONFLICT, by table: pixel_events (with the facts packed beside them).");
    }

    public void Received(string outcome, int count = 1) => _events.Add(count, new KeyValuePair<string, object?>("outcome", outcome));

    public void Delivered(int count) => _delivered.Add(count);

    public void Failed(int count) => _failed.Add(count);

    public void MembersSynced(string action, int count) => _members.Add(count, new KeyValuePair<string, object?>("action", action));

    public void LeadReceived(string source, string outcome)
        => _leads.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("outcome", outcome));

    public void LeadForwarded(string outcome) => _forwards.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void AlertFired(string rule) => _alertsFired.Add(1, new KeyValuePair<string, object?>("rule", rule));

    public void AlertResolved(string rule) => _alertsResolved.Add(1, new KeyValuePair<string, object?>("rule", rule));

    public void AlertNotification(string outcome, int count = 1) => _alertNotifications.Add(count, new KeyValuePair<string, object?>("outcome", outcome));

    public void WriteRetaken(string table) => _writesRetaken.Add(1, new KeyValuePair<string, object?>("table", table));
}
