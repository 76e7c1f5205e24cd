using System.Collections;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TikTokAds.TikTok.Models;

/// <summary>
/// segment/mapping/'s batch_data: one list per user, aligned to id_schema. Either users made of
/// <see cref="SegmentId"/>s, or <see cref="FromDigests"/>: rows of SHA-256 digests written into the request as hex
/// straight from their bytes. A chunk of 5,000 members then costs no string, list or object per member.
/// </summary>
[JsonConverter(typeof(SegmentBatchConverter))]
[CollectionBuilder(typeof(SegmentBatch), nameof(Create))]
public sealed class SegmentBatch : IReadOnlyList<IReadOnlyList<SegmentId>>
{
    private const int Digest = SHA256.HashSizeInBytes;
    private readonly IReadOnlyList<IReadOnlyList<SegmentId>>? _users;
    private readonly ReadOnlyMemory<byte> _digests;
    private readonly IReadOnlyList<string> _audienceIds = [];

    private SegmentBatch(IReadOnlyList<IReadOnlyList<SegmentId>> users) => _users = users;

    private SegmentBatch(ReadOnlyMemory<byte> digests, int cells, IReadOnlyList<string> audienceIds)
    {
        _digests = digests;
        Cells = cells;
        _audienceIds = audienceIds;
    }

    /// <summary>The users as lists of ids.</summary>
    public static SegmentBatch Create(ReadOnlySpan<IReadOnlyList<SegmentId>> users) => new(users.ToArray());

    /// <summary>The users as lists of ids.</summary>
    public static SegmentBatch Of(IEnumerable<IReadOnlyList<SegmentId>> users) => new([.. users]);

    /// <summary>The most ids a digest row holds: one presence bit each.</summary>
    public const int MaxCells = 8;

    /// <summary>The bytes a digest row of <paramref name="cells"/> ids takes.</summary>
    public static int DigestRowWidth(int cells) => 1 + (Digest * cells);

    /// <summary>Whether <paramref name="length"/> bytes are whole digest rows of <paramref name="cells"/> ids (1 to <see cref="MaxCells"/>).</summary>
    public static bool AreDigestRows(int length, int cells) => cells is >= 1 and <= MaxCells && length % DigestRowWidth(cells) == 0;

    /// <summary>
    /// Users as digest rows: each a presence byte (bit p set: the user has id p) then <paramref name="cells"/> SHA-256
    /// digests of 32 bytes, zeros where absent. Each present id goes to <paramref name="audienceIds"/>.
    /// </summary>
    public static SegmentBatch FromDigests(ReadOnlyMemory<byte> rows, int cells, IReadOnlyList<string> audienceIds)
    {
        ArgumentNullException.ThrowIfNull(audienceIds);
        if (!AreDigestRows(rows.Length, cells))
        {
            throw new ArgumentException($"Digest rows of {cells} id(s) are {DigestRowWidth(Math.Max(cells, 1))} bytes each, and 1 to {MaxCells} ids.", nameof(rows));
        }
        return new(rows, cells, audienceIds);
    }

    /// <summary>Ids per user when the batch is digest rows; 0 for a batch of <see cref="SegmentId"/>s.</summary>
    public int Cells { get; }

    public int Count => _users?.Count ?? _digests.Length / DigestRowWidth(Cells);

    /// <summary>A user as ids. A digest row's ids are made on each call: for readers such as tests, not the hot path.</summary>
    public IReadOnlyList<SegmentId> this[int index]
        => _users?[index] ?? DigestUser(_digests.Span.Slice(index * DigestRowWidth(Cells), DigestRowWidth(Cells)));

    /// <summary>Whether every user has <paramref name="cells"/> entries, one per id_schema position.</summary>
    public bool Aligned(int cells) => _users?.All(user => user.Count == cells) ?? Cells == cells;

    public IEnumerator<IReadOnlyList<SegmentId>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Write(Utf8JsonWriter writer, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        if (_users is not null)
        {
            var userType = options.GetTypeInfo(typeof(IReadOnlyList<SegmentId>));
            foreach (var user in _users)
            {
                JsonSerializer.Serialize(writer, user, userType);
            }
        }
        else
        {
            var width = DigestRowWidth(Cells);
            Span<byte> hex = stackalloc byte[2 * Digest];
            for (var offset = 0; offset < _digests.Length; offset += width)
            {
                var row = _digests.Span.Slice(offset, width);
                writer.WriteStartArray();
                for (var p = 0; p < Cells; p++)
                {
                    writer.WriteStartObject();
                    if ((row[0] & (1 << p)) != 0)
                    {
                        Convert.TryToHexStringLower(row.Slice(1 + (p * Digest), Digest), hex, out _);
                        writer.WriteString(IdName, hex);
                        writer.WriteStartArray(AudienceIdsName);
                        foreach (var audienceId in _audienceIds)
                        {
                            writer.WriteStringValue(audienceId);
                        }
                        writer.WriteEndArray();
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
        }
        writer.WriteEndArray();
    }

    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText AudienceIdsName = JsonEncodedText.Encode("audience_ids");

    private SegmentId[] DigestUser(ReadOnlySpan<byte> row)
    {
        var user = new SegmentId[Cells];
        for (var p = 0; p < Cells; p++)
        {
            user[p] = (row[0] & (1 << p)) == 0 ? SegmentId.Missing
                : new SegmentId { Id = Convert.ToHexStringLower(row.Slice(1 + (p * Digest), Digest)), AudienceIds = _audienceIds };
        }
        return user;
    }
}

/// <summary>Writes either form of <see cref="SegmentBatch"/> as the same JSON; reads users of ids.</summary>
public sealed class SegmentBatchConverter : JsonConverter<SegmentBatch>
{
    public override SegmentBatch Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => SegmentBatch.Of((IReadOnlyList<IReadOnlyList<SegmentId>>?)JsonSerializer.Deserialize(ref reader, options.GetTypeInfo(typeof(IReadOnlyList<IReadOnlyList<SegmentId>>)))
            ?? throw new JsonException("batch_data is null."));

    public override void Write(Utf8JsonWriter writer, SegmentBatch value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        value.Write(writer, options);
    }
}
