using System.Security.Cryptography;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests;

/// <summary>Configuration for node processes that share one fresh PostgreSQL database, one token key and the cluster certificate.</summary>
internal static class ClusterSettings
{
    public static async Task<Dictionary<string, string>> CreateAsync(string database, Dictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = await TestPostgres.CreateDatabaseAsync(database),
            ["Security:TokenKeys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Cluster:CertificatePath"] = ClusterTestCertificates.Cluster,
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }
        return settings;
    }
}
