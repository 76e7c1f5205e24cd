namespace TikTokAds.Runtime.Internal;

/// <summary>Internal signal: this node does not own the grain (any more), or is not serving; route again.</summary>
internal sealed class NotOwnerException : Exception
{
    public NotOwnerException() : base("This node does not own the grain.") { }
    public NotOwnerException(string message) : base(message) { }
    public NotOwnerException(string message, Exception inner) : base(message, inner) { }
}
