using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Leads;

namespace TikTokAds.Grains.Tests.Contracts;

public sealed class ContractSerializationTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    /// <summary>Every message type the contracts declare has Orleans' generated codec, so nothing fails only at run time.</summary>
    [Fact]
    public void Every_message_and_enum_of_the_contracts_has_a_generated_serializer()
    {
        var types = typeof(GrainKeys).Assembly.GetExportedTypes()
            .Where(t => t.Namespace?.StartsWith("TikTokAds.Contracts", StringComparison.Ordinal) == true && !t.IsInterface && !(t.IsAbstract && t.IsSealed) && !t.IsNested)
            .ToList();

        Assert.True(types.Count > 40, "contract types were not found");
        Assert.All(types, t => Assert.True(t.GetCustomAttribute<GenerateSerializerAttribute>() is not null, $"{t.FullName} has no [GenerateSerializer]"));
    }

    [Fact]
    public void Messages_built_with_collection_expressions_cross_the_wire_unchanged()
    {
        IReadOnlyList<EventContentData> contents = [new("ticket-vip", null, null, 59.9m, 2, null)];
        var payload = new EventPayload("CompletePayment", 1_800_000_000, "completepayment_1", new EventUserData("e", "p", "x", "t", null, "203.0.113.9", "UA", null),
            new EventPropertyData(contents, "product", "RON", 119.8m, "1", null, null, 2), new EventPageData("https://tickets.example/", null), null, null);
        var ad = new LeadAdConfig("1800000000000000001", "7100000000000000001", "Pass", new Dictionary<string, string> { ["utm_source"] = "tiktok" }, "Call {name}", true);

        var payloadCopy = Serializer.Deserialize<EventPayload>(Serializer.SerializeToArray(payload))!;
        var adCopy = Serializer.Deserialize<LeadAdConfig>(Serializer.SerializeToArray(ad))!;

        Assert.Equal(payload with { Properties = null }, payloadCopy with { Properties = null });
        Assert.Equal(contents, payloadCopy.Properties!.Contents);
        Assert.Equal(ad.Utm, adCopy.Utm);
    }

    [Fact]
    public void The_outage_exception_crosses_the_wire_as_itself()
    {
        var copy = Serializer.Deserialize<Exception>(Serializer.SerializeToArray<Exception>(new ServiceUnavailableException("database down")));

        Assert.IsType<ServiceUnavailableException>(copy);
        Assert.Equal("database down", copy.Message);
    }
}
