using Npgsql;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>Searches every table of a database for a string, the way an attacker with a dump would.</summary>
internal static class Storage
{
    public static async Task<bool> ContainsAsync(string connectionString, string secret)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var tables = new List<string>();
        await using (var list = dataSource.CreateCommand("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        Assert.Contains(tables, t => t.EndsWith("orleans_storage", StringComparison.Ordinal));
        foreach (var table in tables)
        {
            // Binary columns (grain state is JSON in bytea) are searched as the text they hold.
            var binary = new List<string>();
            await using (var columns = dataSource.CreateCommand("SELECT quote_ident(column_name) FROM information_schema.columns WHERE quote_ident(table_schema) || '.' || quote_ident(table_name) = $1 AND data_type = 'bytea'"))
            {
                columns.Parameters.Add(new NpgsqlParameter { Value = table });
                await using var reader = await columns.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    binary.Add($" || coalesce(encode(t.{reader.GetString(0)}, 'escape'), '')");
                }
            }
            await using var search = dataSource.CreateCommand($"SELECT count(*) FROM {table} t WHERE strpos(row_to_json(t)::text{string.Concat(binary)}, $1) > 0");
            search.Parameters.Add(new NpgsqlParameter { Value = secret });
            if ((long)(await search.ExecuteScalarAsync())! > 0)
            {
                return true;
            }
        }
        return false;
    }
}
