namespace TikTokAds.CodecCheck;

/// <summary>Deliberately without [GenerateSerializer].</summary>
public sealed class UncodedMessage
{
    public int Value { get; set; }
}
