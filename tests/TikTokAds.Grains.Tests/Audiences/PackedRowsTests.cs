using TikTokAds.Grains.Audiences;

namespace TikTokAds.Grains.Tests.Audiences;

public sealed class PackedRowsTests
{
    private static readonly string A = new('a', 64);
    private static readonly string B = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Rows_of_hashes_and_empty_cells_come_back_exactly()
    {
        string[] rows = [$"{A},{B}", $",{B}", $"{A},"];

        var packed = PackedRows.TryPack(rows, 2);

        Assert.NotNull(packed);
        Assert.Equal(3 * PackedRows.Width(2), packed.Length);
        Assert.Equal(rows, PackedRows.Unpack(packed, 2));
    }

    [Fact]
    public void Any_chunk_is_a_byte_range_of_fixed_width_rows()
    {
        string[] rows = [A, B, A, B, B];

        var packed = PackedRows.TryPack(rows, 1)!;

        Assert.Equal([A, B], PackedRows.Unpack(packed.AsSpan(2 * PackedRows.Width(1), 2 * PackedRows.Width(1)), 1));
    }

    [Theory]
    [InlineData("e1,p1")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789,")]
    [InlineData("aaaa")]
    public void Rows_that_are_not_lowercase_hashes_stay_text(string row)
    {
        Assert.Null(PackedRows.TryPack([row], 2));
    }

    [Fact]
    public void A_row_with_more_cells_than_the_schema_stays_text()
    {
        Assert.Null(PackedRows.TryPack([$"{A},{B}"], 1));
        Assert.Null(PackedRows.TryPack([A], 2));
    }

    [Fact]
    public void A_digest_written_into_its_cell_reads_back_and_marks_only_its_own_place()
    {
        var row = new byte[PackedRows.Width(2)];

        Convert.FromHexString(B).CopyTo(PackedRows.CellDigest(row, 1));
        PackedRows.MarkPresent(row, 1);

        Assert.Equal([$",{B}"], PackedRows.Unpack(row, 2));
        Assert.Equal(2, row[0]);
    }

    [Fact]
    public void Packed_rows_from_elsewhere_must_be_whole_rows()
    {
        Assert.Null(PackedRows.Check(null, 2));
        Assert.NotNull(PackedRows.Check(new byte[2 * PackedRows.Width(2)], 2));
        Assert.Throws<ArgumentException>(() => PackedRows.Check(new byte[PackedRows.Width(2) + 1], 2));
    }
}
