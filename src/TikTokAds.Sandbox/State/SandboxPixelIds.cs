using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TikTokAds.Sandbox.State;

/// <summary>
/// TikTok gives every pixel a numeric pixel_id beside the pixel code events are sent to; pixel/list shows
/// both and pixel/event/stats/ takes the id. The sandbox derives the id from the code, so it is the same
/// in every sandbox process.
/// </summary>
public static class SandboxPixelIds
{
    public static string Of(string pixelCode)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(pixelCode));
        var number = BinaryPrimitives.ReadUInt64BigEndian(hash) % 1_000_000_000_000_000_000UL;
        return "7" + number.ToString("D18", CultureInfo.InvariantCulture);
    }

    /// <summary>The code among <paramref name="pixelCodes"/> whose id is <paramref name="pixelId"/>, or null.</summary>
    public static string? CodeOf(string pixelId, IEnumerable<string> pixelCodes)
        => pixelCodes.FirstOrDefault(code => string.Equals(Of(code), pixelId, StringComparison.Ordinal));
}
