namespace TikTokAds.Contracts.Alerts;

/// <summary>
/// One organizer's alerts (key: the organizer id): its rules, the alerts they raise over its pixels, and the
/// signed webhook they are sent to at least once. A durable reminder evaluates the rules every
/// Alerts:EvaluationInterval once the organizer has a pixel or alert settings.
/// </summary>
public interface IAlertGrain : IGrainWithStringKey
{
    /// <summary>Makes sure the periodic evaluation runs (idempotent).</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    Task<AlertRules> GetRulesAsync();

    Task<AlertRules> SetRulesAsync(AlertRules rules, CancellationToken cancellationToken = default);

    Task<AlertWebhookView> GetWebhookAsync();

    Task<AlertWebhookView> SetWebhookAsync(AlertWebhookSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Active alerts and the most recent resolved ones, newest first.</summary>
    Task<IReadOnlyList<AlertView>> ListAsync(bool includeResolved);

    /// <summary>Evaluates the rules now (the reminder does it periodically) and sends what is due.</summary>
    Task<AlertEvaluation> EvaluateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A pixel's reconciliation tells its organizer's alerts what its latest run flagged, so evaluations do not ask
    /// every pixel's reconciliation each time.
    /// </summary>
    Task ReconciledAsync(string pixelId, Assurance.ReconciliationFlag flag);
}
