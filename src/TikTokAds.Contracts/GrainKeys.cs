namespace TikTokAds.Contracts;

/// <summary>
/// Every grain key of ours. Orleans' ADO.NET storage reads a string key that parses as hexadecimal (or as
/// a GUID followed by '+') as a numeric key, so "10" and "010" would share a row: every key here starts
/// with a word and an underscore (org_, key_, adv_) or is the fixed word "directory", and none can parse.
/// </summary>
public static class GrainKeys
{
    public const string OrganizerPrefix = "org_";
    public const string Directory = "directory";

    /// <summary>Organizer ids are "org_" and 1 to 60 lower-case letters or digits (the gateway makes them).</summary>
    public static bool IsOrganizerId(string? id)
        => id is { Length: > 4 and <= 64 } && id.StartsWith(OrganizerPrefix, StringComparison.Ordinal) && id.AsSpan(4).ContainsAnyExcept(Alphanumerics) is false;

    public static string Organizer(string organizerId)
        => IsOrganizerId(organizerId) ? organizerId : throw new ArgumentException($"'{organizerId}' is not an organizer id.", nameof(organizerId));

    public static string Pixel(string organizerId, string pixelId) => $"{Organizer(organizerId)}/{pixelId}";

    public static string Audience(string organizerId, string audienceId) => $"{Organizer(organizerId)}/{audienceId}";

    public static string Segment(string organizerId, string segmentId) => $"{Organizer(organizerId)}/{segmentId}";

    public static string ApiKey(string keyHash) => "key_" + keyHash;

    public static string LeadRouter(string advertiserId) => "adv_" + advertiserId;

    /// <summary>The two parts of a "{organizerId}/{id}" key (pixels and audiences).</summary>
    public static (string OrganizerId, string Id) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }

    private static readonly System.Buffers.SearchValues<char> Alphanumerics = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789");
}
