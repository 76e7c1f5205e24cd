using TikTokAds.Contracts.Audiences;
using TikTokAds.Grains.Audiences;

namespace TikTokAds.Grains.Tests.Audiences;

public sealed class ExclusionBookTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Applying_again_replaces_the_usage_mode_and_keeps_one_entry_per_ad_group()
    {
        var state = ExclusionBook.Apply(new ExclusionState(), "aud_1", ["2", "1"], UsageModes.Exclude, Now);

        var again = ExclusionBook.Apply(state, "aud_1", ["2", "3"], UsageModes.Include, Now.AddHours(1));

        Assert.Equal(["1", "2", "3"], ExclusionBook.Of(again, "aud_1").Select(a => a.AdGroupId));
        Assert.Equal([UsageModes.Exclude, UsageModes.Include, UsageModes.Include], ExclusionBook.Of(again, "aud_1").Select(a => a.UsageMode));
        Assert.Equal(Now, ExclusionBook.Of(again, "aud_1")[0].AppliedAt);
    }

    [Fact]
    public void Disconnecting_removes_only_the_listed_ad_groups_of_that_audience()
    {
        var state = ExclusionBook.Apply(new ExclusionState(), "aud_1", ["1", "2"], UsageModes.Exclude, Now);
        state = ExclusionBook.Apply(state, "aud_2", ["1"], UsageModes.Exclude, Now);

        var after = ExclusionBook.Disconnect(state, "aud_1", ["1", "9"]);
        var empty = ExclusionBook.Disconnect(after, "aud_1", ["2"]);

        Assert.Equal(["2"], ExclusionBook.Of(after, "aud_1").Select(a => a.AdGroupId));
        Assert.Equal(["1"], ExclusionBook.Of(after, "aud_2").Select(a => a.AdGroupId));
        Assert.False(empty.Applied.ContainsKey("aud_1"));
    }
}
