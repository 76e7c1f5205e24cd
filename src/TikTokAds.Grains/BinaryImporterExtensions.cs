using Npgsql;
using NpgsqlTypes;

namespace TikTokAds.Grains;

internal static class BinaryImporterExtensions
{
    /// <summary>The next column of a binary COPY row: <paramref name="value"/>, or NULL when it has none.</summary>
    public static Task WriteOrNullAsync<T>(this NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken = default)
        => value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);
}
