using TikTokAds.Grains.Segments;

namespace TikTokAds.Grains.Tests.Segments;

public sealed class BuyerFactPackTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Facts_come_back_as_packed_to_the_microsecond_with_every_optional_field_set_or_absent()
    {
        BuyerFact[] facts =
        [
            new("org_a", "PX1", "CompletePayment", "e1", Now.AddTicks(1_234_567), new string('a', 64), new string('b', 64), 59.90m, "EUR", ["ga", "vip"], Now),
            new("org_a", "PX1", "CompletePayment", "e2", Now.AddDays(-3), null, new string('c', 64), null, null, [], Now),
            // Strings longer than one length byte holds (127), and beyond ASCII, in every string field.
            new("org_a", "PX2 é", "Réservation", new string('x', 300), Now.AddYears(-1), "ä" + new string('d', 200), null, -0.001m, "RON", ["bilet \u001f ă", new string('z', 1000)], Now.AddSeconds(1)),
        ];

        var read = BuyerFactPack.Unpack("org_a", BuyerFactPack.Pack(facts));

        Assert.Equal(facts.Length, read.Count);
        for (var i = 0; i < facts.Length; i++)
        {
            var expected = facts[i] with { EventTime = facts[i].EventTime.AddTicks(-(facts[i].EventTime.UtcTicks % TimeSpan.TicksPerMicrosecond)), ContentIds = [] };
            Assert.Equal(expected, read[i] with { ContentIds = [] });
            Assert.Equal(facts[i].ContentIds, read[i].ContentIds);
            Assert.Equal(facts[i].Value?.ToString(System.Globalization.CultureInfo.InvariantCulture), read[i].Value?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        // Repeated pixel ids and event names are one string each, as a pack's facts mostly share them.
        Assert.Same(read[0].EventName, read[1].EventName);
    }

    [Fact]
    public void A_fact_with_neither_an_email_nor_a_phone_is_left_out()
    {
        BuyerFact[] facts =
        [
            new("org_a", "PX1", "CompletePayment", "e1", Now, null, null, 10m, "EUR", [], Now),
            new("org_a", "PX1", "CompletePayment", "e2", Now, "hash", null, 10m, "EUR", [], Now),
        ];

        Assert.Equal(["e2"], BuyerFactPack.Unpack("org_a", BuyerFactPack.Pack(facts)).Select(f => f.EventId));
    }

    [Fact]
    public void A_value_cut_short_or_of_another_version_is_refused()
    {
        var packed = BuyerFactPack.Pack([new("org_a", "PX1", "CompletePayment", "e1", Now, "hash", null, 10m, "EUR", ["ga"], Now)]);

        Assert.Empty(BuyerFactPack.Unpack("org_a", BuyerFactPack.Pack([])));
        for (var length = 2; length < packed.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => BuyerFactPack.Unpack("org_a", packed.AsSpan(0, length)));
        }
        Assert.Throws<InvalidDataException>(() => BuyerFactPack.Unpack("org_a", [2, .. packed[1..]]));
        Assert.Throws<InvalidDataException>(() => BuyerFactPack.Unpack("org_a", []));
    }

    [Fact]
    public void A_pack_is_its_header_and_its_facts_pieces_with_every_decimal_kept_to_its_scale()
    {
        BuyerFact[] facts =
        [
            new("org_a", "PX1", "CompletePayment", "e1", Now, "hash", null, decimal.MinValue, "EUR", [], Now),
            new("org_a", "PX1", "CompletePayment", "e2", Now, "hash", null, 0.0100m, "EUR", ["ga"], Now),
            new("org_a", "PX1", "CompletePayment", "e3", Now, "hash", null, -7.9228162514264337593543950335m, null, [new string('é', 70)], Now),
        ];

        var packed = BuyerFactPack.Pack(facts);

        Assert.Equal([.. BuyerFactPack.Header, .. facts.SelectMany(BuyerFactPack.Piece)], packed);
        Assert.Equal(["-79228162514264337593543950335", "0.0100", "-7.9228162514264337593543950335"],
            BuyerFactPack.Unpack("org_a", packed).Select(f => f.Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
    [Fact]
    public void A_fact_is_packed_in_the_form_packs_already_stored_have()
    {
        var packed = BuyerFactPack.Pack([new("org_a", "PX1", "CompletePayment", "e1", DateTimeOffset.UnixEpoch.AddTicks(10), "ab", null, 1.50m, "EUR", ["c"],
            DateTimeOffset.UnixEpoch.AddTicks(2_560))]);

        // Version 1; pixel, event name and event id as length and UTF-8; event_time 1 µs and accepted_at 256 µs after
        // the Unix epoch, big-endian; flags email | value | currency; the email; the value as "1.50"; the currency; one
        // content id. Written by hand from the form BuyerFactPack documents, not by the code under test.
        byte[] expected =
        [
            1, 3, .. "PX1"u8, 15, .. "CompletePayment"u8, 2, .. "e1"u8,
            0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0,
            1 | 4 | 8, 2, .. "ab"u8, 4, .. "1.50"u8, 3, .. "EUR"u8, 1, 1, .. "c"u8,
        ];
        Assert.Equal(expected, packed);
    }
}
