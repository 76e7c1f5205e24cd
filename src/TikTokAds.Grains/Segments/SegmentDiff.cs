namespace TikTokAds.Grains.Segments;

/// <summary>
/// What a run changes at the audience: the segment's members the audience lacks, and the audience's members
/// the segment no longer has. Rows are aligned to <see cref="IdSchema"/>, one identifier per row.
/// </summary>
public sealed record SegmentDiff(IReadOnlyList<string> Adds, IReadOnlyList<string> Removes)
{
    public static readonly IReadOnlyList<string> IdSchema = [SegmentRule.EmailSchema, SegmentRule.PhoneSchema];

    public static SegmentDiff Of(IReadOnlySet<string> target, IReadOnlyCollection<string> current)
    {
        var held = current.ToHashSet(StringComparer.Ordinal);
        return new SegmentDiff(
            [.. target.Where(m => !held.Contains(m)).Order(StringComparer.Ordinal)],
            [.. held.Where(m => !target.Contains(m)).Order(StringComparer.Ordinal)]);
    }

    /// <summary>"EMAIL_SHA256:h" becomes the row "h," and "PHONE_SHA256:h" the row ",h"; other schemas cannot occur.</summary>
    public static IReadOnlyList<string> Rows(IEnumerable<string> members) => [.. members.Select(m =>
    {
        var colon = m.IndexOf(':', StringComparison.Ordinal);
        var id = m[(colon + 1)..];
        return m[..colon] == SegmentRule.EmailSchema ? id + "," : "," + id;
    })];
}
