using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace TikTokAds.Testing;

public static class OrleansClock
{
    /// <summary>
    /// Makes <paramref name="clock"/> the clock of the domain and of grain timers, and keeps Orleans' own
    /// machinery (messaging, membership, directory, activation collection, reminders) on real time: a clock
    /// that only moves when a test says so would stall probes and call timeouts, and the reminder service
    /// spins through every tick of a jump. Grains keep their exact times with timers; reminders only bring
    /// them back after a restart.
    /// </summary>
    public static IServiceCollection UseTestClock(this IServiceCollection services, TimeProvider clock)
    {
        services.AddSingleton(clock);
        foreach (var area in (string[])[TimeProviderNames.Messaging, TimeProviderNames.SystemTimers, TimeProviderNames.Membership, TimeProviderNames.ActivationManagement, TimeProviderNames.GrainDirectory, Orleans.Reminders.ReminderTimeProviderNames.Reminders])
        {
            services.AddKeyedSingleton(area, TimeProvider.System);
        }
        return services;
    }
}
