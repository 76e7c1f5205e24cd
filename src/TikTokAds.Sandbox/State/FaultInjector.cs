namespace TikTokAds.Sandbox.State;

/// <summary>Chooses the fault, if any, for a request: the first matching rule whose dice roll hits.</summary>
public sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly List<FaultRule> _rules;

    public FaultInjector(IEnumerable<FaultRule> rules) => _rules = [.. rules];

    public IReadOnlyList<FaultRule> Rules
    {
        get
        {
            lock (_lock)
            {
                return [.. _rules];
            }
        }
    }

    public void Add(FaultRule rule)
    {
        lock (_lock)
        {
            _rules.Add(rule);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _rules.Clear();
        }
    }

    public FaultRule? Pick(string path, string? accessToken)
    {
        lock (_lock)
        {
            foreach (var rule in _rules)
            {
                if ((rule.Path is null || path.Contains(rule.Path, StringComparison.Ordinal))
                    && (rule.AccessToken is null || rule.AccessToken == accessToken)
                    && (rule.Count is null or > 0)
                    && Random.Shared.NextDouble() < rule.Rate)
                {
                    if (rule.Count is { } remaining)
                    {
                        rule.Count = remaining - 1;
                    }
                    return rule;
                }
            }
            _rules.RemoveAll(r => r.Count is 0);
            return null;
        }
    }
}
