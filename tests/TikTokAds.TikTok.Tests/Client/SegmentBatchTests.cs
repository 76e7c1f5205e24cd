using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TikTokAds.TikTok.Models;

namespace TikTokAds.TikTok.Tests.Client;

/// <summary>batch_data written from digest rows is the JSON of the same users written as ids.</summary>
public sealed class SegmentBatchTests
{
    private static byte[] Sha(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));

    private static SegmentMappingRequest Request(SegmentBatch batch)
        => new() { AdvertiserIds = ["700"], Action = "add", IdSchema = ["EMAIL_SHA256", "PHONE_SHA256"], BatchData = batch };

    private static byte[] Rows(params (byte[]? Email, byte[]? Phone)[] users)
    {
        var rows = new byte[users.Length * SegmentBatch.DigestRowWidth(2)];
        for (var i = 0; i < users.Length; i++)
        {
            var row = rows.AsSpan(i * SegmentBatch.DigestRowWidth(2));
            if (users[i].Email is { } email)
            {
                row[0] |= 1;
                email.CopyTo(row[1..]);
            }
            if (users[i].Phone is { } phone)
            {
                row[0] |= 2;
                phone.CopyTo(row[33..]);
            }
        }
        return rows;
    }

    [Fact]
    public void Digest_rows_are_written_as_the_same_users_made_of_ids()
    {
        var (email, phone) = (Sha("a@example.com"), Sha("+40721234567"));
        string[] audiences = ["tt_1", "tt_2"];
        SegmentBatch users =
        [
            [new SegmentId { Id = Convert.ToHexStringLower(email), AudienceIds = audiences }, new SegmentId { Id = Convert.ToHexStringLower(phone), AudienceIds = audiences }],
            [SegmentId.Missing, new SegmentId { Id = Convert.ToHexStringLower(phone), AudienceIds = audiences }],
            [new SegmentId { Id = Convert.ToHexStringLower(email), AudienceIds = audiences }, SegmentId.Missing],
        ];
        var digests = SegmentBatch.FromDigests(Rows((email, phone), (null, phone), (email, null)), 2, audiences);

        var written = JsonSerializer.Serialize(Request(digests), TikTokJsonContext.Default.SegmentMappingRequest);

        Assert.Equal(JsonSerializer.Serialize(Request(users), TikTokJsonContext.Default.SegmentMappingRequest), written);
        Assert.Contains($"[{{}},{{\"id\":\"{Convert.ToHexStringLower(phone)}\",\"audience_ids\":[\"tt_1\",\"tt_2\"]}}]", written, StringComparison.Ordinal);
        Assert.Equal(3, digests.Count);
        Assert.Equal(Convert.ToHexStringLower(phone), digests[1][1].Id);
        Assert.Same(SegmentId.Missing, digests[1][0]);
        Assert.True(digests.Aligned(2));
        Assert.False(digests.Aligned(1));
    }

    [Fact]
    public void A_request_read_back_holds_its_users()
    {
        var json = JsonSerializer.Serialize(Request(SegmentBatch.FromDigests(Rows((Sha("a"), null)), 2, ["tt_1"])), TikTokJsonContext.Default.SegmentMappingRequest);

        var read = JsonSerializer.Deserialize(json, TikTokJsonContext.Default.SegmentMappingRequest)!;

        Assert.Equal(Convert.ToHexStringLower(Sha("a")), read.BatchData[0][0].Id);
        Assert.Equal(["tt_1"], read.BatchData[0][0].AudienceIds!);
        Assert.Null(read.BatchData[0][1].Id);
    }

    [Fact]
    public void Digest_rows_of_the_wrong_width_are_refused()
    {
        Assert.Throws<ArgumentException>(() => SegmentBatch.FromDigests(new byte[64], 2, ["tt_1"]));
        Assert.Throws<ArgumentException>(() => SegmentBatch.FromDigests(new byte[33], 0, ["tt_1"]));
    }
}
