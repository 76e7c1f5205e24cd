using System.ComponentModel.DataAnnotations;

namespace TikTokAds.Grains.Assurance;

/// <summary>Reconciliation with TikTok's counts and match-quality warnings (section "Assurance").</summary>
public sealed class AssuranceOptions
{
    public const string SectionName = "Assurance";

    /// <summary>A day's gap is flagged when gap / delivered exceeds this (and the gap reaches <see cref="MinGapEvents"/>).</summary>
    [Range(0.0, 1.0)]
    public double GapRatioThreshold { get; set; } = 0.01;

    /// <summary>The smallest gap, in events, that is flagged: a few events on a quiet day are noise.</summary>
    [Range(1, 1_000_000)]
    public int MinGapEvents { get; set; } = 10;

    /// <summary>The UTC hour of the daily run.</summary>
    [Range(0, 23)]
    public int ReconciliationHourUtc { get; set; } = 4;

    /// <summary>Complete UTC days each daily run checks again (TikTok's counts settle over hours, late events arrive).</summary>
    [Range(1, 30)]
    public int RecheckDays { get; set; } = 3;

    /// <summary>How long results are kept in the grain's state.</summary>
    [Range(1, 3650)]
    public int HistoryDays { get; set; } = 90;

    /// <summary>A match key's share falling by this much (0.2 = 20 percentage points) from one window to the next is warned about.</summary>
    [Range(0.01, 1.0)]
    public double CoverageDropThreshold { get; set; } = 0.2;

    /// <summary>Both windows need at least this many events of the event name before a drop is warned about.</summary>
    [Range(1, 1_000_000)]
    public int CoverageMinEvents { get; set; } = 20;
}
