namespace TikTokAds.Runtime;

/// <summary>A state write found a different version stored than the one this activation read.</summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException() { }
    public InconsistentStateException(string message) : base(message) { }
    public InconsistentStateException(string message, Exception inner) : base(message, inner) { }
}
