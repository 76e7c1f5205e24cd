namespace TikTokAds.Node.Observability;

/// <summary>Section "Telemetry": where traces go besides the logs. Off by default.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>An OTLP collector (for example http://otel-collector:4317); unset: no trace export.</summary>
    public Uri? OtlpEndpoint { get; set; }
}
