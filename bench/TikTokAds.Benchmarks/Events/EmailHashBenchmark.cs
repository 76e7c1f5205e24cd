using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TikTokAds.Grains.Events;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// What hashing an audience upload's emails costs: <see cref="PiiNormalizer.Email"/> over N emails, on one thread and
/// in blocks on every core as the gateway does, against a one-shot SHA-256 of the same bytes (nothing normalised, no
/// hex) in the same run. Alternating rounds; each side's median.
/// </summary>
internal static class EmailHashBenchmark
{
    private const int Block = 4096;

    public static int Run(int members, int rounds = 7)
    {
        var emails = Enumerable.Range(0, members).Select(i => $"member{i}@bench.example").ToArray();
        var bytes = emails.Select(Encoding.UTF8.GetBytes).ToArray();
        var blocks = (members + Block - 1) / Block;
        void Normalised(int b)
        {
            for (var i = b * Block; i < Math.Min(members, (b + 1) * Block); i++)
            {
                _ = PiiNormalizer.Email(emails[i]);
            }
        }
        void OneShot(int b)
        {
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            for (var i = b * Block; i < Math.Min(members, (b + 1) * Block); i++)
            {
                SHA256.HashData(bytes[i], digest);
            }
        }
        double Time(Action run)
        {
            var clock = Stopwatch.StartNew();
            run();
            return clock.Elapsed.TotalMilliseconds * 1000 / members;
        }
        Time(() => Parallel.For(0, blocks, Normalised));
        Time(() => Parallel.For(0, blocks, OneShot));
        var figures = new List<(double Email, double Bare, double EmailParallel, double BareParallel)>();
        for (var round = 0; round < rounds; round++)
        {
            figures.Add((Time(() => { for (var b = 0; b < blocks; b++) Normalised(b); }), Time(() => { for (var b = 0; b < blocks; b++) OneShot(b); }),
                Time(() => Parallel.For(0, blocks, Normalised)), Time(() => Parallel.For(0, blocks, OneShot))));
        }
        double Median(Func<(double, double, double, double), double> pick) => figures.Select(pick).Order().ElementAt(rounds / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Email hashing: {members:N0} emails, {rounds} alternating rounds, medians in µs an email (wall time ÷ emails)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  one thread:  PiiNormalizer.Email {Median(f => f.Item1),6:0.000}   one-shot SHA256.HashData of the bytes {Median(f => f.Item2),6:0.000}   ratio {Median(f => f.Item1) / Median(f => f.Item2):0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  every core:  PiiNormalizer.Email {Median(f => f.Item3),6:0.000}   one-shot SHA256.HashData of the bytes {Median(f => f.Item4),6:0.000}   ratio {Median(f => f.Item3) / Median(f => f.Item4):0.00}"));
        return 0;
    }
}
