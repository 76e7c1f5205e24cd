namespace TikTokAds.TikTok.Tests.Client;

public sealed class ClassificationTests
{
    [Theory]
    [InlineData(0, TikTokOutcome.Success)]
    [InlineData(20001, TikTokOutcome.Success)]
    [InlineData(40100, TikTokOutcome.Throttled)]
    [InlineData(40016, TikTokOutcome.Throttled)]
    [InlineData(40132, TikTokOutcome.Throttled)]
    [InlineData(40133, TikTokOutcome.Throttled)]
    [InlineData(40000, TikTokOutcome.InvalidRequest)]
    [InlineData(40002, TikTokOutcome.InvalidRequest)]
    [InlineData(40003, TikTokOutcome.InvalidRequest)]
    [InlineData(40011, TikTokOutcome.InvalidRequest)]
    [InlineData(40007, TikTokOutcome.InvalidRequest)]
    [InlineData(40907, TikTokOutcome.InvalidRequest)]
    [InlineData(41000, TikTokOutcome.InvalidRequest)]
    [InlineData(40001, TikTokOutcome.Authorization)]
    [InlineData(40102, TikTokOutcome.Authorization)]
    [InlineData(40104, TikTokOutcome.Authorization)]
    [InlineData(40105, TikTokOutcome.Authorization)]
    [InlineData(40106, TikTokOutcome.Authorization)]
    [InlineData(40115, TikTokOutcome.Authorization)]
    [InlineData(40125, TikTokOutcome.Authorization)]
    [InlineData(50000, TikTokOutcome.Transient)]
    [InlineData(50002, TikTokOutcome.Transient)]
    [InlineData(51305, TikTokOutcome.Transient)]
    [InlineData(60001, TikTokOutcome.Transient)]
    [InlineData(40202, TikTokOutcome.Transient)]
    [InlineData(40700, TikTokOutcome.Transient)]
    [InlineData(TikTokCodes.Timeout, TikTokOutcome.Transient)]
    [InlineData(TikTokCodes.CircuitOpen, TikTokOutcome.Transient)]
    public void Each_body_code_has_its_outcome(int code, TikTokOutcome expected)
        => Assert.Equal(expected, TikTokResponseClassifier.Classify(code));

    [Theory]
    [InlineData(500, TikTokOutcome.Transient)]
    [InlineData(502, TikTokOutcome.Transient)]
    [InlineData(503, TikTokOutcome.Transient)]
    [InlineData(429, TikTokOutcome.Transient)]
    [InlineData(404, TikTokOutcome.InvalidRequest)]
    [InlineData(405, TikTokOutcome.InvalidRequest)]
    public void Without_a_body_code_the_http_status_decides(int status, TikTokOutcome expected)
        => Assert.Equal(expected, TikTokResponseClassifier.ClassifyHttpStatus(status));

    [Theory]
    [InlineData(40102, true)]
    [InlineData(40104, true)]
    [InlineData(40105, true)]
    [InlineData(40106, true)]
    [InlineData(40001, false)]
    [InlineData(40100, false)]
    public void Only_dead_tokens_require_reauthorisation(int code, bool expected)
        => Assert.Equal(expected, TikTokResponseClassifier.RequiresReauthorisation(code));
}
