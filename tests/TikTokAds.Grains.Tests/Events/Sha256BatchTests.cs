using System.Security.Cryptography;
using System.Text;
using TikTokAds.Grains.Events;

namespace TikTokAds.Grains.Tests.Events;

public sealed class Sha256BatchTests
{
    [Theory]
    // FIPS 180-4's examples (NIST's SHA256.pdf): "abc" and the empty value.
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void Known_digests(string value, string expected)
    {
        var digest = new byte[32];
        var batch = new Sha256Batch();
        batch.Add(Encoding.ASCII.GetBytes(value), digest, 0);
        batch.Flush();
        Assert.Equal(expected, Convert.ToHexStringLower(digest));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_length_up_to_two_blocks_matches_the_platform(bool vectorized)
    {
        // Every length a lane can hold (0-55), the lengths just past it (56-64, hashed by the platform), and more; each
        // value a different byte pattern, so that a lane mixed up with another, or a word read in the wrong order, shows.
        // Without vectors (a host without them, or asked for here) every value goes to the platform, and must still land.
        var values = Enumerable.Range(0, 130).Select(length => Enumerable.Range(0, length).Select(i => (byte)((length * 31) + (i * 7) + 1)).ToArray()).ToArray();
        var digests = new byte[values.Length * 32];
        var batch = new Sha256Batch(vectorized);
        Assert.Equal(vectorized && Sha256Batch.IsVectorized, batch.Queues(Sha256Batch.MaxOneBlock));
        Assert.False(batch.Queues(Sha256Batch.MaxOneBlock + 1));
        for (var i = 0; i < values.Length; i++)
        {
            batch.Add(values[i], digests, i * 32);
        }
        batch.Flush();
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(values[i])), Convert.ToHexStringLower(digests.AsSpan(i * 32, 32)));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(1000)]
    public void Partial_and_full_groups_write_each_digest_to_its_own_place(int count)
    {
        var random = new Random(count);
        var values = Enumerable.Range(0, count).Select(_ => RandomBytes(random, random.Next(0, 80))).ToArray();
        // Targets in a scrambled order, with a gap, in two arrays: a digest must land where its value said.
        var order = Enumerable.Range(0, count).OrderBy(_ => random.Next()).ToArray();
        var first = new byte[(count * 32) + 5];
        var second = new byte[(count * 32) + 5];
        var batch = new Sha256Batch();
        for (var i = 0; i < count; i++)
        {
            batch.Add(values[i], i % 2 == 0 ? first : second, 5 + (order[i] * 32));
        }
        batch.Flush();
        for (var i = 0; i < count; i++)
        {
            var target = i % 2 == 0 ? first : second;
            Assert.Equal(SHA256.HashData(values[i]), target.AsSpan(5 + (order[i] * 32), 32).ToArray());
        }
        Assert.All(first.Take(5).Concat(second.Take(5)), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Nothing_is_written_before_the_flush_that_completes_a_group_and_a_flush_of_nothing_writes_nothing()
    {
        var digests = new byte[9 * 32];
        var batch = new Sha256Batch();
        batch.Flush();
        for (var i = 0; i < 7; i++)
        {
            batch.Add("fan@example.com"u8, digests, i * 32);
        }
        Assert.All(digests, b => Assert.Equal(0, b));
        batch.Add("fan@example.com"u8, digests, 7 * 32); // the eighth fills the group
        Assert.Equal(SHA256.HashData("fan@example.com"u8), digests.AsSpan(7 * 32, 32).ToArray());
        batch.Add("x@y.z"u8, digests, 8 * 32);
        Assert.Equal(new byte[32], digests.AsSpan(8 * 32, 32).ToArray());
        batch.Flush();
        Assert.Equal(SHA256.HashData("x@y.z"u8), digests.AsSpan(8 * 32, 32).ToArray());
        batch.Flush();
        Assert.Equal(SHA256.HashData("x@y.z"u8), digests.AsSpan(8 * 32, 32).ToArray());
    }

    [Fact]
    public void A_target_without_room_for_a_digest_is_refused()
    {
        var batch = new Sha256Batch();
        var target = new byte[72];
        batch.Add("b"u8, target, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Add("a"u8, target, 41));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Add("a"u8, target, -1));
        Assert.Throws<ArgumentNullException>(() => batch.Add("a"u8, null!, 0));
        batch.Add("a"u8, target, 40); // the last place with room
        batch.Flush();
        // The refused values left the batch as it was: both queued values landed, each where it said.
        Assert.Equal(SHA256.HashData("b"u8), target.AsSpan(0, 32).ToArray());
        Assert.Equal(SHA256.HashData("a"u8), target.AsSpan(40, 32).ToArray());
    }

    [Fact]
    public void Threads_hash_at_once_each_with_a_batch_of_its_own()
    {
        var values = Enumerable.Range(0, 20_000).Select(i => Encoding.UTF8.GetBytes($"member{i}@bench.example")).ToArray();
        var digests = new byte[values.Length * 32];
        Parallel.For(0, values.Length / 100, block =>
        {
            using var batch = new Sha256Batch();
            for (var i = block * 100; i < (block + 1) * 100; i++)
            {
                batch.Add(values[i], digests, i * 32);
            }
        });
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(SHA256.HashData(values[i]), digests.AsSpan(i * 32, 32).ToArray());
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
