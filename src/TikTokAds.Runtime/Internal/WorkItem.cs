namespace TikTokAds.Runtime.Internal;

/// <summary>One turn queued on an activation.</summary>
internal abstract class WorkItem
{
    public abstract Task ExecuteAsync(GrainActivation activation);

    /// <summary>The activation is going away before this turn ran; hand the work to the next activation or drop it.</summary>
    public abstract void Bounce();
}
