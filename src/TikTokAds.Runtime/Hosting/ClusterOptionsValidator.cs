using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace TikTokAds.Runtime.Hosting;

/// <summary>Rules that depend on whether the node is clustered (a PostgreSQL connection string is set).</summary>
internal sealed class ClusterOptionsValidator(IConfiguration configuration) : IValidateOptions<ClusterOptions>
{
    public const int MinimumSecretLength = 16;

    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var failures = new List<string>();
        if (options.DeathTimeout <= options.HeartbeatInterval * 2)
        {
            failures.Add($"Cluster:DeathTimeout ({options.DeathTimeout}) must be more than twice Cluster:HeartbeatInterval ({options.HeartbeatInterval}).");
        }
        var clustered = !string.IsNullOrWhiteSpace(configuration.GetConnectionString(PostgresConnection.Name));
        if (clustered && (options.Secret is null || options.Secret.Length < MinimumSecretLength))
        {
            failures.Add($"Cluster:Secret (Cluster__Secret) is required when ConnectionStrings:Postgres is set, and must be at least {MinimumSecretLength} characters.");
        }
        if (options.AdvertisedUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            failures.Add($"Cluster:AdvertisedUrl must be an absolute URL such as http://node1:8080, not '{url}'.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
