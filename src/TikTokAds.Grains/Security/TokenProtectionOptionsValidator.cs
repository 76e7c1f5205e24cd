using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace TikTokAds.Grains.Security;

/// <summary>Keys must be 256-bit base64; clustered nodes must share configured keys (an ephemeral one would strand tokens).</summary>
internal sealed class TokenProtectionOptionsValidator(IConfiguration configuration) : IValidateOptions<TokenProtectionOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenProtectionOptions options)
    {
        var failures = new List<string>();
        Span<byte> buffer = stackalloc byte[64];
        foreach (var (id, value) in options.TokenKeys)
        {
            if (!Convert.TryFromBase64String(value, buffer, out var written) || written != 32)
            {
                failures.Add($"Security:TokenKeys:{id} must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`).");
            }
        }
        if (options.ActiveTokenKeyId is { } active && !options.TokenKeys.ContainsKey(active))
        {
            failures.Add($"Security:ActiveTokenKeyId '{active}' is not one of Security:TokenKeys.");
        }
        if (options.TokenKeys.Count == 0 && !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres")))
        {
            failures.Add("Security:TokenKeys (Security__TokenKeys__<id>) is required when ConnectionStrings:Postgres is set: tokens are stored encrypted under it.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
