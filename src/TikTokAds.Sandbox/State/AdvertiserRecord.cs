namespace TikTokAds.Sandbox.State;

public sealed record AdvertiserRecord(string AdvertiserId, string Name, string Company, string Status, string Role, string Currency, string Timezone, string Country);
