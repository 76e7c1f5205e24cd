using Npgsql;
using TikTokAds.Contracts;

namespace TikTokAds.Node.Cluster;

/// <summary>
/// Every grain call on this silo: a database that cannot be reached becomes <see cref="ServiceUnavailableException"/>,
/// a type every node knows, instead of a driver exception that would not cross nodes as itself.
/// </summary>
internal sealed class OutageFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception exception) when (IsDatabaseOutage(exception))
        {
            throw new ServiceUnavailableException("The database cannot be reached right now; nothing was changed.");
        }
    }

    /// <summary>True when the exception, or one it wraps, says PostgreSQL was unreachable or went away.</summary>
    public static bool IsDatabaseOutage(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException npgsql && (npgsql.IsTransient || npgsql is not PostgresException))
            {
                return true;
            }
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsDatabaseOutage))
            {
                return true;
            }
        }
        return false;
    }
}
