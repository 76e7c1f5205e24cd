using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>TikTok's signature of a lead delivery, "t={unix},s={hex HMAC-SHA256 of "{t}.{body}"}", under the fuzz node's secret.</summary>
internal static class LeadSignature
{
    public const string Header = "X-TikTok-Signature";

    public static string For(byte[] body)
    {
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(FuzzTarget.WebhookSecret), (byte[])[.. Encoding.UTF8.GetBytes(t + "."), .. body]);
        return $"t={t},s={Convert.ToHexStringLower(mac)}";
    }
}
