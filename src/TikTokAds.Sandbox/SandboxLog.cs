namespace TikTokAds.Sandbox;

/// <summary>The sandbox's log lines (5000s).</summary>
internal static partial class SandboxLog
{
    [LoggerMessage(5001, LogLevel.Information, "Echo receiver got POST {Path} ({Length} characters, Idempotency-Key {IdempotencyKey}); GET it to see what arrived")]
    public static partial void Echoed(ILogger logger, string path, int length, string idempotencyKey);
}
