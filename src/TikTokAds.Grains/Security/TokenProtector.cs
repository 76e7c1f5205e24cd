using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TikTokAds.Grains.Security;

/// <summary>
/// AES-256-GCM for access tokens: "v1.{keyId}.{base64url(nonce | ciphertext | tag)}". The key id travels
/// with the ciphertext, so keys can rotate while old tokens still decrypt. The organizer id is bound in
/// as associated data: a token copied to another organizer's record does not decrypt.
/// </summary>
public sealed class TokenProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _activeKeyId;

    public TokenProtector(IOptions<TokenProtectionOptions> options, ILogger<TokenProtector> logger)
    {
        var o = options.Value;
        _keys = o.TokenKeys.ToDictionary(p => p.Key, p => Convert.FromBase64String(p.Value), StringComparer.Ordinal);
        if (_keys.Count == 0)
        {
            // Only the embedded default gets here (options validation demands keys when clustered); its
            // state lives in memory and dies with the process, and so may this key.
            _keys["ephemeral"] = RandomNumberGenerator.GetBytes(32);
            GrainsLog.EphemeralTokenKey(logger);
        }
        _activeKeyId = o.ActiveTokenKeyId ?? _keys.Keys.Order(StringComparer.Ordinal).Last();
    }

    public string ActiveKeyId => _activeKeyId;

    public string Protect(string plaintext, string organizerId)
    {
        var key = _keys[_activeKeyId];
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + data.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize, data.Length), output.AsSpan(NonceSize + data.Length), Associated(organizerId));
        return $"v1.{_activeKeyId}.{Base64Url(output)}";
    }

    /// <exception cref="CryptographicException">Tampered, for another organizer, or under an unknown key.</exception>
    public string Unprotect(string protectedToken, string organizerId)
    {
        var parts = protectedToken.Split('.', 3);
        if (parts.Length != 3 || parts[0] != "v1" || !_keys.TryGetValue(parts[1], out var key))
        {
            throw new CryptographicException("The token was not protected by a key this node has (Security:TokenKeys).");
        }
        var input = FromBase64Url(parts[2]);
        if (input.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The protected token is truncated.");
        }
        var plaintext = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, plaintext.Length), input.AsSpan(NonceSize + plaintext.Length), plaintext, Associated(organizerId));
        return Encoding.UTF8.GetString(plaintext);
    }

    /// <summary>The key id a protected token was made with (for rotation).</summary>
    public static string KeyIdOf(string protectedToken) => protectedToken.Split('.', 3) is [_, var id, _] ? id : "";

    private static byte[] Associated(string organizerId) => Encoding.UTF8.GetBytes($"tiktok-token:{organizerId}");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - (s.Length % 4)) % 4));
    }
}
