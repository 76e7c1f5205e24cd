using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace TikTokAds.Sandbox.Api;

/// <summary>The lists TikTok validates against (TIKTOK_API.md §1.6, §1.7, §2.2).</summary>
internal static partial class TikTokFacts
{
    public static readonly FrozenSet<string> StandardEvents = new[]
    {
        "AddPaymentInfo", "AddToCart", "AddToWishlist", "ApplicationApproval", "CompleteRegistration", "Contact",
        "CustomizeProduct", "Download", "FindLocation", "InitiateCheckout", "Lead", "Purchase", "Schedule", "Search",
        "StartTrial", "SubmitApplication", "Subscribe", "ViewContent",
        // Legacy names TikTok still takes.
        "CompletePayment", "SubmitForm", "ClickButton", "PlaceAnOrder",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static readonly FrozenSet<string> Currencies = """
        AED ARS AUD BDT BHD BIF BOB BRL CAD CHF CLP CNY COP CRC CZK DKK DZD EGP EUR GBP GTQ HKD HNL HUF IDR ILS INR ISK
        JPY KES KHR KRW KWD KZT MAD MOP MXN MYR NGN NIO NOK NZD OMR PEN PHP PKR PLN PYG QAR RON RUB SAR SEK SGD THB TRY
        TWD UAH USD VES VND ZAR
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);

    public static readonly FrozenSet<string> EventSources = new[] { "web", "app", "offline", "crm" }.ToFrozenSet(StringComparer.Ordinal);

    public static readonly FrozenSet<string> IdSchemas = new[]
    {
        "EMAIL_SHA256", "PHONE_SHA256", "IDFA_SHA256", "IDFA_MD5", "AAID_SHA256", "AAID_MD5",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static readonly FrozenSet<string> CalculateTypes = new[]
    {
        "EMAIL_SHA256", "PHONE_SHA256", "IDFA_SHA256", "IDFA_MD5", "GAID_SHA256", "GAID_MD5", "FIRST_SHA256", "FIRST_MD5", "MULTIPLE_TYPES",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsSha256Hex(string value) => Sha256Hex().IsMatch(value);

    /// <summary>Hashed identifiers in audience uploads: SHA-256 or MD5 hex, any case.</summary>
    public static bool IsHashedId(string schema, string value)
        => schema.EndsWith("_MD5", StringComparison.Ordinal) ? Md5Hex().IsMatch(value) : Sha256AnyCase().IsMatch(value);

    public static bool IsCustomEventName(string name) => CustomName().IsMatch(name);

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256AnyCase();

    [GeneratedRegex("^[0-9a-fA-F]{32}$")]
    private static partial Regex Md5Hex();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,49}$")]
    private static partial Regex CustomName();
}
