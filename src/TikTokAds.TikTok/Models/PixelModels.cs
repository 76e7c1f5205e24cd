namespace TikTokAds.TikTok.Models;

public sealed record PixelInfo(string? PixelId, string? PixelCode, string? PixelName);

public sealed record PixelList(IReadOnlyList<PixelInfo>? Pixels, PageInfo? PageInfo);
