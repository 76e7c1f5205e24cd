namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>What one case got back.</summary>
/// <param name="Result">The histogram's key: the status code, or how the connection ended without one.</param>
/// <param name="Detail">The response's start, or the client's exception.</param>
internal sealed record FuzzOutcome(FuzzCase Case, string Result, bool Failed, string Detail, TimeSpan Elapsed);
