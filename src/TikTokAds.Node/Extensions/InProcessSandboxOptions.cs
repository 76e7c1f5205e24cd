namespace TikTokAds.Node.Extensions;

/// <summary>
/// The demo switch (section "TikTokSandbox", or just --sandbox on the command line): host the TikTok
/// sandbox inside this node and send every TikTok call to it. Never for production: nothing reaches TikTok.
/// </summary>
public sealed class InProcessSandboxOptions
{
    public const string SectionName = "TikTokSandbox";
    public const string CommandLineSwitch = "--sandbox";

    public bool Enabled { get; set; }

    /// <summary>Where the sandbox's TikTok paths are mounted on this node.</summary>
    public string PathPrefix { get; set; } = "/tiktok-sandbox";
}
