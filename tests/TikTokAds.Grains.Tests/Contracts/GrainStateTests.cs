using System.Reflection;

namespace TikTokAds.Grains.Tests.Contracts;

public sealed class GrainStateTests
{
    /// <summary>
    /// The ADO.NET storage tells rows apart by state name and key, not by grain class: two grains with the
    /// same state name and the same key (an organizer's inbox and its audience list both use the organizer
    /// id) would share one row. Every state name is used by one grain class only.
    /// </summary>
    [Fact]
    public void Every_persistent_state_name_belongs_to_one_grain_class()
    {
        var names = typeof(GrainStorage).Assembly.GetTypes()
            .Where(t => t.IsAssignableTo(typeof(Grain)))
            .SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => (Grain: t, State: p.GetCustomAttribute<PersistentStateAttribute>())))
            .Where(p => p.State is not null)
            .Select(p => (p.Grain, p.State!.StateName, p.State.StorageName))
            .ToList();

        Assert.True(names.Count >= 8, "grains with state were not found");
        Assert.All(names, n => Assert.Equal(GrainStorage.Name, n.StorageName));
        Assert.Equal(names.Count, names.Select(n => n.StateName).Distinct(StringComparer.Ordinal).Count());
    }
}
