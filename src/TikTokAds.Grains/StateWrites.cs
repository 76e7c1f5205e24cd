namespace TikTokAds.Grains;

/// <summary>
/// A grain's one write of a state change. When the write fails (storage down, a value the database refuses)
/// the grain keeps the state it had: otherwise the change would stay visible in memory without being stored,
/// and every later write would store it, or fail on it again.
/// </summary>
public static class StateWrites
{
    public static async Task WriteAsync<T>(this IPersistentState<T> state, T next, CancellationToken cancellationToken)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            state.State = previous;
            throw;
        }
    }
}
