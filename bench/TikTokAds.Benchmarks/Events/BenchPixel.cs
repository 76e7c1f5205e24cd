namespace TikTokAds.Benchmarks.Events;

/// <summary>A pixel <see cref="BenchCluster.ConnectPixelsAsync"/> connected, with its organizer's client.</summary>
internal sealed record BenchPixel(HttpClient Client, string PixelId, string AdvertiserId, string Token);
