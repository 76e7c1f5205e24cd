namespace TikTokAds.Sandbox.State;

/// <summary>The counts behind <see cref="EventStats"/> for one pixel or for all, kept as requests and events arrive.</summary>
internal sealed class EventTally
{
    private readonly Dictionary<int, long> _requestsByCode = [];
    private int _requests;
    private int _events;
    private int _duplicates;
    private int _testEvents;

    public void Count(TrackRequestRecord request)
    {
        _requests++;
        _requestsByCode[request.Code] = _requestsByCode.GetValueOrDefault(request.Code) + 1;
    }

    public void Count(ReceivedEvent received)
    {
        _events++;
        _duplicates += received.Duplicate ? 1 : 0;
        _testEvents += received.TestEventCode is null ? 0 : 1;
    }

    public EventStats ToStats(DateTimeOffset at) => new(
        _requests,
        (int)_requestsByCode.GetValueOrDefault(0),
        (int)_requestsByCode.GetValueOrDefault(40100),
        _events,
        _events - _duplicates,
        _duplicates,
        _testEvents,
        new Dictionary<int, long>(_requestsByCode),
        at);
}
