using System.Globalization;
using TikTokAds.Contracts.Assurance;

namespace TikTokAds.Grains.Assurance;

/// <summary>
/// Builds a match-quality report from the counts of two equal windows, the current one and the one
/// before it: shares per key, our estimated score, and a warning for each key whose share fell sharply.
/// </summary>
public static class MatchQuality
{
    /// <summary>The row that sums every event name.</summary>
    public const string AllEvents = "*";

    public const string ScoreNote =
        "estimated_score is this service's own estimate (0-10), not TikTok's: the share of events carrying each match key, weighted as in score_weights. "
        + "TikTok publishes no weights, and its Event Match Quality in Events Manager may differ.";

    public static MatchQualityReport Build(
        string pixelId, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<MatchKeyCounts> current, IReadOnlyList<MatchKeyCounts> previous, double dropThreshold, int minEvents)
    {
        var before = previous.ToDictionary(p => p.EventName, StringComparer.Ordinal);
        var rows = current.OrderByDescending(c => c.Events).ThenBy(c => c.EventName, StringComparer.Ordinal)
            .Select(c => Row(c, before.GetValueOrDefault(c.EventName)))
            .ToList();
        var warnings = rows.SelectMany(r => Drops(r, dropThreshold, minEvents)).ToList();
        var overall = Row(Sum(AllEvents, current), Sum(AllEvents, previous));
        return new MatchQualityReport(pixelId, from, to, overall, rows, warnings, MatchKeys.Weights, ScoreNote);
    }

    /// <summary>Σ weight × share, so 10 when every event carries every key.</summary>
    public static double Score(IReadOnlyDictionary<string, double> coverage)
        => Math.Round(MatchKeys.Weights.Sum(w => w.Value * coverage.GetValueOrDefault(w.Key)), 1);

    private static MatchQualityRow Row(MatchKeyCounts counts, MatchKeyCounts? previous)
    {
        var coverage = Shares(counts);
        var previousCoverage = previous is null ? new Dictionary<string, double>(StringComparer.Ordinal) : Shares(previous);
        return new MatchQualityRow(counts.EventName, counts.Events, coverage, Score(coverage), previous?.Events ?? 0, previousCoverage);
    }

    private static Dictionary<string, double> Shares(MatchKeyCounts counts)
        => MatchKeys.ByKey(counts).ToDictionary(k => k.Key, k => counts.Events == 0 ? 0 : Math.Round((double)k.Value / counts.Events, 4), StringComparer.Ordinal);

    private static IEnumerable<CoverageWarning> Drops(MatchQualityRow row, double threshold, int minEvents)
    {
        if (row.Events < minEvents || row.PreviousEvents < minEvents)
        {
            yield break;
        }
        foreach (var (key, share) in row.Coverage)
        {
            var before = row.PreviousCoverage.GetValueOrDefault(key);
            // A hair under the threshold from rounding still counts: 80% to 60% is a 20-point fall.
            if (before - share >= threshold - 1e-9)
            {
                yield return new CoverageWarning(row.EventName, key, before, share, string.Create(CultureInfo.InvariantCulture,
                    $"{key} coverage of {row.EventName} fell from {before * 100:0.#}% to {share * 100:0.#}% compared with the previous window."));
            }
        }
    }

    private static MatchKeyCounts Sum(string name, IReadOnlyList<MatchKeyCounts> all) => new(
        name, all.Sum(c => c.Events), all.Sum(c => c.Email), all.Sum(c => c.Phone), all.Sum(c => c.ExternalId),
        all.Sum(c => c.Ttclid), all.Sum(c => c.Ttp), all.Sum(c => c.IpAndUserAgent), all.Sum(c => c.EventId));
}
