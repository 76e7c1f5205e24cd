namespace TikTokAds.Grains.Events;

/// <summary>
/// The next request to send: the oldest event's (event_source, test_event_code) group, in arrival order,
/// at most 1,000 events and no more than the day's budget. One request carries one event_source and one
/// test_event_code, because both sit at the top level of TikTok's body.
/// </summary>
public static class BatchPlanner
{
    public const int MaxBatch = 1000;

    public static IReadOnlyList<BufferedEvent> Next(IEnumerable<BufferedEvent> pending, int eventBudget, int maxBatch = MaxBatch)
    {
        var limit = Math.Min(maxBatch, eventBudget);
        if (limit <= 0)
        {
            return [];
        }
        var batch = new List<BufferedEvent>(Math.Min(limit, 1024));
        BufferedEvent? first = null;
        foreach (var item in pending)
        {
            first ??= item;
            if (item.EventSource == first.EventSource && item.TestEventCode == first.TestEventCode)
            {
                batch.Add(item);
                if (batch.Count == limit)
                {
                    break;
                }
            }
        }
        return batch;
    }
}
