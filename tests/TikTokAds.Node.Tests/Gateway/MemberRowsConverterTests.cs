using System.Text.Json;
using TikTokAds.Node.Apis.Audiences;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Tests.Gateway;

public sealed class MemberRowsConverterTests
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new StorableStringConverter() } };

    private static MemberRows Read(string json) => JsonSerializer.Deserialize<MemberRows>(json, Options)!;

    [Fact]
    public void Rows_keep_their_cells_nulls_and_widths_in_order()
    {
        var members = Read("""[["a@example.com", null], null, [], ["+40721234567", "b@example.com", "c"]]""");

        Assert.Equal(4, members.Count);
        Assert.Equal(2, members.Width(0));
        Assert.Equal("a@example.com", members.Cell(0, 0));
        Assert.Null(members.Cell(0, 1));
        Assert.Equal(-1, members.Width(1));
        Assert.Equal(0, members.Width(2));
        Assert.Equal(3, members.Width(3));
        Assert.Equal("c", members.Cell(3, 2));
    }

    [Theory]
    [InlineData("""{"a": 1}""", "$.members")]
    [InlineData("""["a@example.com"]""", "$.members[0]")]
    [InlineData("""[null, ["a", 1]]""", "$.members[1][1]")]
    [InlineData("""[[["a"]]]""", "$.members[0][0]")]
    [InlineData("""[[], [{"a": "b"}]]""", "$.members[1][0]")]
    public void Anything_but_rows_of_strings_and_nulls_is_unreadable_and_named(string json, string path)
    {
        var error = Assert.Throws<JsonException>(() => Read(json));

        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void A_cell_goes_through_the_options_string_rules()
    {
        var error = Assert.Throws<JsonException>(() => Read("""[["a@example.com"], ["fan\u0000@example.com"]]"""));

        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
        Assert.Equal("$.members[1][0]", error.Path);
    }

    [Fact]
    public void Written_rows_read_back_the_same()
    {
        var members = MemberRows.Of([["a@example.com", null], null, ["+40721234567", "b@example.com"]]);

        var again = Read(JsonSerializer.Serialize(members, Options));

        Assert.Equal(JsonSerializer.Serialize(members, Options), JsonSerializer.Serialize(again, Options));
        Assert.Equal(-1, again.Width(1));
        Assert.Equal("b@example.com", again.Cell(2, 1));
    }
}
