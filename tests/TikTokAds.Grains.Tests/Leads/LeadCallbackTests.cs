using System.Security.Cryptography;
using System.Text;
using TikTokAds.Grains.Leads;

namespace TikTokAds.Grains.Tests.Leads;

public sealed class LeadCallbackTests
{
    [Fact]
    public void Placeholders_take_values_of_any_case_and_unknown_ones_render_empty()
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["full_name"] = "Ana Pop" };

        Assert.Equal("Call Ana Pop about  {not a placeholder}", LeadCallback.Render("Call {Full_Name} about {city} {not a placeholder}", values));
    }

    [Fact]
    public void The_signature_is_an_hmac_of_the_timestamp_and_body_the_receiver_can_recompute()
    {
        var signature = LeadCallback.Sign("a-shared-secret-of-16+", 1767225600, "{\"lead_id\":\"7301\"}");

        var mac = HMACSHA256.HashData("a-shared-secret-of-16+"u8.ToArray(), Encoding.UTF8.GetBytes("1767225600.{\"lead_id\":\"7301\"}"));
        Assert.Equal($"t=1767225600,v1={Convert.ToHexStringLower(mac)}", signature);
    }
}
