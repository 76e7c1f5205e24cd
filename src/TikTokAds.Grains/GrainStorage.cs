namespace TikTokAds.Grains;

/// <summary>The one grain storage every grain's state lives in: memory (embedded) or PostgreSQL (clustered).</summary>
public static class GrainStorage
{
    public const string Name = "tiktokads";
}
