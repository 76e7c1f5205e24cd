using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TikTokAds.Testing;
using TikTokAds.TikTok.Models;

namespace TikTokAds.TikTok.Tests.Client;

/// <summary>Every client operation against the sandbox: shapes on the wire, data back, and the sandbox's rules.</summary>
public sealed class ApiTests : IAsyncLifetime
{
    private const string Advertiser = "7000000000000000055";
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private SandboxHost _sandbox = null!;
    private string _token = null!;
    private TikTokBusinessClient _client = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(o =>
        {
            o.AudienceProcessingTime = TimeSpan.FromMinutes(60);
            o.MaxAudiencesPerAdvertiser = 5;
            o.MinimumCustomerFileAudience = 3;
        }, _clock);
        _token = _sandbox.AddToken([Advertiser], ["APIPIXEL"]);
        _client = TestClients.Create(_sandbox.ApiBaseUrl, o => o.MaxRetries = 0);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static string Sha(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static SegmentMappingRequest Mapping(string action, string audienceId, IEnumerable<string> emails) => new()
    {
        AdvertiserIds = [Advertiser],
        Action = action,
        IdSchema = ["EMAIL_SHA256", "PHONE_SHA256"],
        BatchData = [.. emails.Select(e => (IReadOnlyList<SegmentId>)[new SegmentId { Id = Sha(e), AudienceIds = [audienceId] }, SegmentId.Missing])],
    };

    [Fact]
    public async Task A_segment_audience_takes_members_only_once_processed()
    {
        var created = await _client.CreateSegmentAudienceAsync(_token, Advertiser, "Buyers", CancellationToken.None);
        var audienceId = created.Data!.AudienceId!;

        var early = await _client.MapSegmentAsync(_token, Mapping("add", audienceId, ["a@x.com", "b@x.com"]), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(61));
        var added = await _client.MapSegmentAsync(_token, Mapping("add", audienceId, ["a@x.com", "b@x.com", "c@x.com"]), CancellationToken.None);
        var removed = await _client.MapSegmentAsync(_token, Mapping("delete", audienceId, ["b@x.com"]), CancellationToken.None);
        var info = await _client.GetCustomAudiencesAsync(_token, Advertiser, [audienceId], CancellationToken.None);

        Assert.Equal(40002, early.Code);
        Assert.Contains("processing", early.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(added.IsSuccess && removed.IsSuccess);
        Assert.Equal(2, info.Data!.List![0].CoverNum);
        Assert.True(info.Data.List[0].IsValid);
    }

    [Fact]
    public async Task Mapping_sends_an_empty_object_where_a_user_has_no_such_id()
    {
        var audienceId = (await _client.CreateSegmentAudienceAsync(_token, Advertiser, "Aligned", CancellationToken.None)).Data!.AudienceId!;
        _clock.Advance(TimeSpan.FromMinutes(61));

        await _client.MapSegmentAsync(_token, Mapping("add", audienceId, ["only-email@x.com"]), CancellationToken.None);
        var members = (await _sandbox.Admin.GetFromJsonAsync<JsonObject>($"sandbox/audiences/{audienceId}?members=true"))!["members"]!.AsArray();

        Assert.Equal([$"EMAIL_SHA256:{Sha("only-email@x.com")}"], members.Select(m => (string)m!));
    }

    [Fact]
    public async Task The_sandbox_signals_when_an_audience_holds_a_number_of_members()
    {
        var audienceId = (await _client.CreateSegmentAudienceAsync(_token, Advertiser, "Watched", CancellationToken.None)).Data!.AudienceId!;
        var other = (await _client.CreateSegmentAudienceAsync(_token, Advertiser, "Reset", CancellationToken.None)).Data!.AudienceId!;
        _clock.Advance(TimeSpan.FromMinutes(61));
        var three = _sandbox.State.Audiences.WhenHolds(audienceId, 3);

        await _client.MapSegmentAsync(_token, Mapping("add", audienceId, ["a@x.com", "b@x.com"]), CancellationToken.None);
        var afterTwo = three.IsCompleted;
        await _client.MapSegmentAsync(_token, Mapping("add", audienceId, ["b@x.com", "c@x.com"]), CancellationToken.None);
        await three.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(afterTwo);
        Assert.True(_sandbox.State.Audiences.WhenHolds(audienceId, 2).IsCompleted);
        Assert.Throws<KeyNotFoundException>(() => { _ = _sandbox.State.Audiences.WhenHolds("1800000000000000999", 1); });
        var never = _sandbox.State.Audiences.WhenHolds(audienceId, 10);
        _sandbox.State.Audiences.Delete(audienceId);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => never.WaitAsync(TimeSpan.FromSeconds(30)));
        var reset = _sandbox.State.Audiences.WhenHolds(other, 1);
        _sandbox.State.Reset();
        await Assert.ThrowsAsync<KeyNotFoundException>(() => reset.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task An_advertiser_may_hold_only_so_many_audiences()
    {
        var codes = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            codes.Add((await _client.CreateSegmentAudienceAsync(_token, Advertiser, $"A{i}", CancellationToken.None)).Code);
        }

        Assert.Equal(40002, codes[^1]);
        Assert.Equal(5, codes.Count(c => c == 0));
    }

    [Fact]
    public async Task Customer_files_append_remove_and_replace_and_a_lookalike_needs_100_source_users()
    {
        var emails = Enumerable.Range(0, 120).Select(i => Sha($"fan{i}@x.com")).ToList();
        var file = await _client.UploadCustomAudienceFileAsync(_token, Advertiser, "EMAIL_SHA256", "fans.csv", Encoding.UTF8.GetBytes(string.Join('\n', emails.Take(99))), CancellationToken.None);
        var created = await _client.CreateCustomAudienceAsync(_token, new CustomAudienceCreateRequest { AdvertiserId = Advertiser, CustomAudienceName = "Fans", CalculateType = "EMAIL_SHA256", FilePaths = [file.Data!.FilePath!] }, CancellationToken.None);
        var audienceId = created.Data!.CustomAudienceId!;
        _clock.Advance(TimeSpan.FromMinutes(61));
        var tooSmall = await _client.CreateLookalikeAsync(_token, Lookalike(audienceId), CancellationToken.None);
        var more = await _client.UploadCustomAudienceFileAsync(_token, Advertiser, "EMAIL_SHA256", "more.csv", Encoding.UTF8.GetBytes(string.Join('\n', emails.Skip(99))), CancellationToken.None);
        var all = _sandbox.State.Audiences.WhenHolds(audienceId, 120);
        var allBefore = all.IsCompleted;
        var appended = await _client.UpdateCustomAudienceAsync(_token, new CustomAudienceUpdateRequest { AdvertiserId = Advertiser, CustomAudienceId = audienceId, FilePaths = [more.Data!.FilePath!], Action = "APPEND" }, CancellationToken.None);
        var lookalike = await _client.CreateLookalikeAsync(_token, Lookalike(audienceId), CancellationToken.None);
        var replaced = await _client.UpdateCustomAudienceAsync(_token, new CustomAudienceUpdateRequest { AdvertiserId = Advertiser, CustomAudienceId = audienceId, FilePaths = [more.Data.FilePath!], Action = "REPLACE" }, CancellationToken.None);
        var list = await _client.ListCustomAudiencesAsync(_token, Advertiser, 1, 50, CancellationToken.None);

        Assert.Equal(40002, tooSmall.Code);
        Assert.True(appended.IsSuccess && lookalike.IsSuccess && replaced.IsSuccess, $"{appended} {lookalike} {replaced}");
        Assert.False(allBefore);
        await all.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(21, list.Data!.List!.Single(a => a.AudienceId == audienceId).CoverNum);
        Assert.Equal("LOOKALIKE", list.Data.List!.Single(a => a.AudienceId == lookalike.Data!.CustomAudienceId).AudienceType);
    }

    [Fact]
    public async Task A_file_whose_signature_does_not_match_is_refused()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Advertiser), "advertiser_id" },
            { new StringContent("EMAIL_SHA256"), "calculate_type" },
            { new StringContent(new string('0', 32)), "file_signature" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(Sha("x@y.z"))), "file", "f.csv" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "open_api/v1.3/dmp/custom_audience/file/upload/") { Content = form };
        request.Headers.Add("Access-Token", _token);

        using var response = await _sandbox.Admin.SendAsync(request);

        Assert.Equal(40900, (int)(await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!);
    }

    [Fact]
    public async Task Deleting_an_audience_removes_it_and_a_second_delete_is_40007()
    {
        var audienceId = (await _client.CreateSegmentAudienceAsync(_token, Advertiser, "Temp", CancellationToken.None)).Data!.AudienceId!;

        var first = await _client.DeleteSegmentAudienceAsync(_token, Advertiser, audienceId, CancellationToken.None);
        var second = await _client.DeleteSegmentAudienceAsync(_token, Advertiser, audienceId, CancellationToken.None);

        Assert.True(first.IsSuccess);
        Assert.Equal(40007, second.Code);
    }

    [Fact]
    public async Task Another_advertiser_is_out_of_reach()
    {
        var response = await _client.CreateSegmentAudienceAsync(_token, "7999999999999999999", "Theirs", CancellationToken.None);

        Assert.Equal(40001, response.Code);
        Assert.Equal(TikTokOutcome.Authorization, response.Outcome);
    }

    private static LookalikeCreateRequest Lookalike(string source) => new()
    {
        AdvertiserId = Advertiser,
        CustomAudienceName = "Like fans",
        LookalikeSpec = new LookalikeSpec { SourceAudienceId = source, AudienceSize = "BALANCED", LocationIds = ["798549"], IncludeSource = false },
    };
}
