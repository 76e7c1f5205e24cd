namespace TikTokAds.Node.Dashboard;

/// <summary>
/// The last warnings and errors of this node, for the dashboard's live stream. Log messages carry no
/// PII and no secrets by construction (every message is a [LoggerMessage] with hashed or public fields).
/// </summary>
internal sealed class RecentProblems : ILoggerProvider
{
    private const int Capacity = 200;
    private readonly Lock _lock = new();
    private readonly Queue<ProblemReport> _problems = new();

    public IReadOnlyList<ProblemReport> Latest
    {
        get
        {
            lock (_lock)
            {
                return [.. _problems.Reverse()];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new ProblemLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(ProblemReport problem)
    {
        lock (_lock)
        {
            _problems.Enqueue(problem);
            while (_problems.Count > Capacity)
            {
                _problems.Dequeue();
            }
        }
    }

    private sealed class ProblemLogger(RecentProblems owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Our own messages only: framework messages may quote request data.
            if (IsEnabled(logLevel) && category.StartsWith("TikTokAds.", StringComparison.Ordinal))
            {
                owner.Add(new ProblemReport(DateTimeOffset.UtcNow, logLevel.ToString(), category[(category.LastIndexOf('.') + 1)..], formatter(state, exception)));
            }
        }
    }
}
