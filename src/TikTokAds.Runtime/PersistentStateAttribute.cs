namespace TikTokAds.Runtime;

/// <summary>Names the state a grain constructor parameter of type <see cref="IPersistentState{TState}"/> binds to.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName) : Attribute
{
    public string StateName { get; } = stateName;
}
