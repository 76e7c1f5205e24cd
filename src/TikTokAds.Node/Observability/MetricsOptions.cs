namespace TikTokAds.Node.Observability;

/// <summary>Section "Metrics".</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>/metrics is open by default (scrapers sit inside the network); set true to require the operator key.</summary>
    public bool RequireOperatorKey { get; set; }
}
