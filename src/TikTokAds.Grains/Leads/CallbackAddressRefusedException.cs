namespace TikTokAds.Grains.Leads;

/// <summary>A call-back's host resolved only to addresses call-backs may not reach; the message says which and why.</summary>
public sealed class CallbackAddressRefusedException(string message) : Exception(message);
