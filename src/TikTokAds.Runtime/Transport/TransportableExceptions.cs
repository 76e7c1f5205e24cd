namespace TikTokAds.Runtime.Transport;

/// <summary>Exception types rebuilt as themselves when a grain on another node throws them.</summary>
internal sealed class TransportableExceptions
{
    private readonly Dictionary<string, Func<string, Exception>> _factories = new(StringComparer.Ordinal);

    public TransportableExceptions(IEnumerable<Type> types)
    {
        foreach (var type in types)
        {
            var constructor = type.GetConstructor([typeof(string)])
                ?? throw new InvalidOperationException($"{type.Name} needs a public (string message) constructor to cross nodes.");
            _factories[type.FullName!] = message => (Exception)constructor.Invoke([message]);
        }
    }

    public Exception Rebuild(string type, string message, string nodeId)
        => _factories.TryGetValue(type, out var factory) ? factory(message) : new RemoteGrainException(type, message, nodeId);
}
