namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>What a case must get back besides "no 5xx, no dropped connection".</summary>
internal enum FuzzExpectation
{
    /// <summary>Any 1xx-4xx answer: the hostile cases.</summary>
    No5xx,

    /// <summary>A 2xx: the valid requests interleaved with the hostile ones, which hostile input must not have broken.</summary>
    Success,

    /// <summary>404 or 403: an organizer's request aimed at another organizer's resources.</summary>
    NotFoundOrForbidden,
}
