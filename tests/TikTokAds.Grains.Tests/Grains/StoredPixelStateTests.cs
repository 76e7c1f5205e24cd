using TikTokAds.Grains;
using TikTokAds.Grains.Events;

namespace TikTokAds.Grains.Tests.Grains;

/// <summary>State stored by earlier versions still loads after a property leaves the state type.</summary>
public sealed class StoredPixelStateTests
{
    [Fact]
    public void A_pixel_state_that_still_records_its_reminder_loads_with_its_budget_and_failures()
    {
        // As stored before the flush reminder was known to the activation only (sixth pass of issue 14).
        var stored = BinaryData.FromString("""
            {"budgetDay":"2026-12-02","sentToday":4200,"consecutiveFailures":2,"lastError":"TikTok 40100: throttled","reminderActive":true,"duplicates":7}
            """);

        var state = new JsonGrainStateSerializer().Deserialize<PixelState>(stored)!;

        Assert.Equal((new DateOnly(2026, 12, 2), 4200, 2, "TikTok 40100: throttled", 7L), (state.BudgetDay, state.SentToday, state.ConsecutiveFailures, state.LastError, state.Duplicates));
        Assert.DoesNotContain("reminder", new JsonGrainStateSerializer().Serialize(state).ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
