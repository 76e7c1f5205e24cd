namespace TikTokAds.Node;

/// <summary>Node host log messages. Event ids 1000–1999 (gateway).</summary>
internal static partial class NodeLog
{
    [LoggerMessage(1001, LogLevel.Warning, "TikTok SANDBOX MODE: the TikTok sandbox runs inside this node and every TikTok call goes to {BaseUrl}. Nothing reaches TikTok.")]
    public static partial void SandboxInProcess(ILogger logger, string baseUrl);
}
