namespace TikTokAds.Runtime;

/// <summary>Overrides the stable type name stored with a grain's state and reminders.</summary>
[AttributeUsage(AttributeTargets.Interface)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
