using Npgsql;

namespace TikTokAds.Grains;

/// <summary>
/// Writes of new rows that take the common case first: a plain INSERT, and only after it meets a row already there
/// the same write again with ON CONFLICT. A unique index checks each key as it inserts it, at no extra cost; ON CONFLICT
/// (and a NOT EXISTS filter alike) looks every key up once more before the insert, and ON CONFLICT also marks each
/// row speculative and confirms it. For 1,000 new rows that cost PostgreSQL 7-17 ms more on pixel_events (36-46 ms
/// without it) and 14 ms more on buyer_facts (18-22 ms without it; bench/insert-first.sh, docs/BENCHMARKS.md,
/// nineteenth pass). Each write taken again leaves one unique-violation error in PostgreSQL's own log (docs/EVENTS.md).
/// </summary>
internal static class InsertFirst
{
    /// <summary>
    /// <paramref name="write"/>(false), and <paramref name="write"/>(true) when that met a unique violation. The first
    /// must be one transaction: the violation rolled all of it back, so the second starts from where the first did.
    /// Each write taken again is counted for <paramref name="table"/>, the table whose rows the first write inserts.
    /// </summary>
    public static async Task<T> RunAsync<T>(Func<bool, Task<T>> write, DomainMetrics? metrics, string table)
    {
        try
        {
            return await write(false);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            metrics?.WriteRetaken(table);
            return await write(true);
        }
    }
}
