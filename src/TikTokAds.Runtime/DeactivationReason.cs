namespace TikTokAds.Runtime;

public enum DeactivationReason
{
    IdleTimeout,
    ApplicationRequested,
    PlacementChanged,
    WriteConflict,
    NodeShutdown,
    ActivationFailed,
}
