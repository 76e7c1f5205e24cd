using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TikTokAds.Grains.Events;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// What hashing an audience upload's emails costs: <see cref="PiiNormalizer.TryEmailSha256(ReadOnlySpan{char}, Span{byte})"/>
/// over N emails one at a time, and queued in a <see cref="Sha256Batch"/> as the gateway hashes a block of rows,
/// against a one-shot SHA-256 of the same bytes (nothing normalised) in the same run. On one thread and in blocks on
/// every core. Alternating rounds; each side's median.
/// </summary>
internal static class EmailHashBenchmark
{
    private const int Block = 4096;

    public static int Run(int members, int rounds = 7)
    {
        var emails = Enumerable.Range(0, members).Select(i => $"member{i}@bench.example").ToArray();
        var bytes = emails.Select(Encoding.UTF8.GetBytes).ToArray();
        var digests = new byte[members * SHA256.HashSizeInBytes];
        var blocks = (members + Block - 1) / Block;
        void OneAtATime(int b)
        {
            for (var i = b * Block; i < Math.Min(members, (b + 1) * Block); i++)
            {
                PiiNormalizer.TryEmailSha256(emails[i], digests.AsSpan(i * SHA256.HashSizeInBytes, SHA256.HashSizeInBytes));
            }
        }
        void Batched(int b)
        {
            using var batch = new Sha256Batch();
            for (var i = b * Block; i < Math.Min(members, (b + 1) * Block); i++)
            {
                PiiNormalizer.TryEmailSha256(emails[i], batch, digests, i * SHA256.HashSizeInBytes);
            }
        }
        void OneShot(int b)
        {
            for (var i = b * Block; i < Math.Min(members, (b + 1) * Block); i++)
            {
                SHA256.HashData(bytes[i], digests.AsSpan(i * SHA256.HashSizeInBytes, SHA256.HashSizeInBytes));
            }
        }
        double Time(Action run)
        {
            var clock = Stopwatch.StartNew();
            run();
            return clock.Elapsed.TotalMilliseconds * 1000 / members;
        }
        Action OneThread(Action<int> block) => () => { for (var b = 0; b < blocks; b++) block(b); };
        Action EveryCore(Action<int> block) => () => Parallel.For(0, blocks, block);
        Action<int>[] sides = [OneAtATime, Batched, OneShot];
        foreach (var side in sides)
        {
            Time(EveryCore(side));
            Time(OneThread(side));
        }
        // The batch's digests checked against the one-shot's: a figure of wrong digests would mean nothing.
        Batched(0);
        var check = digests[..(Math.Min(members, Block) * SHA256.HashSizeInBytes)];
        OneShot(0);
        if (!check.AsSpan().SequenceEqual(digests.AsSpan(0, check.Length)))
        {
            Console.Error.WriteLine("Sha256Batch's digests differ from SHA256.HashData's");
            return 1;
        }
        var figures = new List<double[]>();
        for (var round = 0; round < rounds; round++)
        {
            figures.Add([.. sides.Select(s => Time(OneThread(s))), .. sides.Select(s => Time(EveryCore(s)))]);
        }
        double Median(int column) => figures.Select(f => f[column]).Order().ElementAt(rounds / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Email hashing: {members:N0} emails, {rounds} alternating rounds, medians in µs an email (wall time ÷ emails); Sha256Batch vectorized: {Sha256Batch.IsVectorized}"));
        for (var (name, at) = ("one thread", 0); at <= 3; (name, at) = ("every core", at + 3))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name}:  TryEmailSha256 one at a time {Median(at),6:0.000}   batched (Sha256Batch) {Median(at + 1),6:0.000}   one-shot SHA256.HashData of the bytes {Median(at + 2),6:0.000}   one at a time ÷ batched {Median(at) / Median(at + 1):0.00}"));
        }
        return 0;
    }
}
