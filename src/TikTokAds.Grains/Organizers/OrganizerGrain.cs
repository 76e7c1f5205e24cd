using TikTokAds.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Security;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Organizers;

public sealed partial class OrganizerGrain(
    [PersistentState("organizer", GrainStorage.Name)] IPersistentState<OrganizerState> state,
    TikTokBusinessClient tiktok,
    TokenProtector protector,
    IOptions<TikTokOptions> tiktokOptions,
    IOptions<OAuthOptions> oauthOptions,
    TimeProvider time,
    ILogger<OrganizerGrain> logger) : Grain, IOrganizerGrain, IRemindable
{
    private string GrainKey => this.GetPrimaryKeyString();

    /// <summary>Connect waits this long for TikTok at most, well inside the grain call timeout.</summary>
    private static readonly TimeSpan TokenCheckBudget = TimeSpan.FromSeconds(20);

    private OrganizerState Current => state.State;

    public async Task<OrganizerInfo> CreateAsync(string name)
    {
        if (!Current.Exists)
        {
            state.State = Current with { Name = name, CreatedAt = time.GetUtcNow() };
            await state.WriteStateAsync();
            await GrainFactory.OrganizerDirectory().AddAsync(Info());
        }
        return Info();
    }

    public Task<OrganizerInfo?> GetAsync() => Task.FromResult(Current.Exists ? Info() : null);

    public async Task<ApiKeyInfo?> AddKeyAsync(NewApiKey key)
    {
        if (!Current.Exists)
        {
            return null;
        }
        var record = new ApiKeyRecord(key.KeyId, key.KeyHash, key.Prefix, time.GetUtcNow(), null);
        // The lookup entry first: a key the organizer lists must always resolve.
        await GrainFactory.ApiKey(key.KeyHash).RegisterAsync(GrainKey, key.KeyId);
        state.State = Current with { Keys = [.. Current.Keys, record] };
        await state.WriteStateAsync();
        return ToInfo(record);
    }

    public Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync()
        => Task.FromResult<IReadOnlyList<ApiKeyInfo>>([.. Current.Keys.Select(ToInfo)]);

    public async Task<string?> RevokeKeyAsync(string keyId)
    {
        var key = Current.Keys.FirstOrDefault(k => k.KeyId == keyId);
        if (key is null)
        {
            return null;
        }
        await GrainFactory.ApiKey(key.KeyHash).RevokeAsync();
        if (key.RevokedAt is null)
        {
            state.State = Current with { Keys = [.. Current.Keys.Select(k => k.KeyId == keyId ? k with { RevokedAt = time.GetUtcNow() } : k)] };
            await state.WriteStateAsync();
        }
        return key.KeyHash;
    }

    public async Task<ConnectResult> ConnectAsync(ConnectRequest request)
    {
        if (!Current.Exists)
        {
            return new ConnectResult(ConnectOutcome.OrganizerNotFound, null, 0, "Unknown organizer.");
        }
        var check = await CheckTokenAsync(request.ProtectedToken, request.AdvertiserId, request.PixelId);
        if (check is not null)
        {
            return check;
        }
        var now = time.GetUtcNow();
        var existing = Current.Connections.GetValueOrDefault(request.PixelId);
        var record = new ConnectionRecord(
            request.PixelId, request.AdvertiserId, request.ProtectedToken, request.TestMode, request.TestEventCode,
            request.DefaultCountryCode, request.Toggles, request.Limits, ConnectionStatus.Connected,
            existing?.ConnectedAt ?? now, now, existing?.LastEventSent, null);
        state.State = Current with { Connections = new Dictionary<string, ConnectionRecord>(Current.Connections) { [request.PixelId] = record } };
        await state.WriteStateAsync();
        await Pixel(request.PixelId).ConfigureAsync(record.ToSecret());
        GrainsLog.Connected(logger, GrainKey, request.PixelId, request.AdvertiserId, request.TestMode);
        return new ConnectResult(existing is null ? ConnectOutcome.Connected : ConnectOutcome.Updated, record.ToView(), 0, "OK");
    }

    public Task<IReadOnlyList<ConnectionView>> GetConnectionsAsync()
        => Task.FromResult<IReadOnlyList<ConnectionView>>([.. Current.Connections.Values.OrderBy(c => c.ConnectedAt).Select(c => c.ToView())]);

    public async Task<IReadOnlyList<ConnectionView>> DescribeConnectionsAsync()
    {
        var connections = Current.Connections.Values.OrderBy(c => c.ConnectedAt).ToList();
        var statuses = await Task.WhenAll(connections.Select(c => Pixel(c.PixelId).GetStatusAsync()));
        return [.. connections.Zip(statuses, (c, s) => c.ToView() with { LastEventSent = s.LastEventSent ?? c.LastEventSent, LastError = c.LastError ?? s.LastError })];
    }

    public async Task<DisconnectResult> DisconnectAsync(string pixelId)
    {
        if (!Current.Connections.ContainsKey(pixelId))
        {
            return new DisconnectResult(DisconnectOutcome.NotFound, 0, 0, $"Pixel {pixelId} is not connected.");
        }
        // The pixel flushes what its budget allows first; whatever it could not send is reported.
        var flushed = await Pixel(pixelId).DisconnectAsync();
        var remaining = new Dictionary<string, ConnectionRecord>(Current.Connections);
        remaining.Remove(pixelId);
        state.State = Current with { Connections = remaining };
        await state.WriteStateAsync();
        GrainsLog.Disconnected(logger, GrainKey, pixelId);
        return flushed;
    }

    public async Task<ConnectResult> VerifyAsync(string pixelId)
    {
        if (!Current.Connections.TryGetValue(pixelId, out var connection))
        {
            return new ConnectResult(ConnectOutcome.NotConnected, null, 0, $"Pixel {pixelId} is not connected.");
        }
        var check = await CheckTokenAsync(connection.ProtectedToken, connection.AdvertiserId, pixelId);
        if (check?.Outcome == ConnectOutcome.TokenRejected)
        {
            await ReportTokenRejectedAsync(pixelId, check.TikTokCode, check.Message);
        }
        else if (check is null && connection.Status != ConnectionStatus.Connected)
        {
            var healed = connection with { Status = ConnectionStatus.Connected, LastError = null, UpdatedAt = time.GetUtcNow() };
            state.State = Current with { Connections = new Dictionary<string, ConnectionRecord>(Current.Connections) { [pixelId] = healed } };
            await state.WriteStateAsync();
            await Pixel(pixelId).ConfigureAsync(healed.ToSecret());
        }
        var view = Current.Connections[pixelId].ToView();
        return check is null or { Outcome: ConnectOutcome.TokenRejected }
            ? new ConnectResult(ConnectOutcome.Verified, view, check?.TikTokCode ?? 0, check?.Message ?? "TikTok accepts the token.")
            : check with { Connection = view };
    }

    public Task<ConnectionSecret?> GetAdvertiserCredentialAsync(string advertiserId)
        => Task.FromResult(Current.Connections.Values
            .Where(c => c.AdvertiserId == advertiserId)
            .OrderBy(c => c.Status == ConnectionStatus.Connected ? 0 : 1)
            .Select(c => c.ToSecret())
            .FirstOrDefault());

    public async Task<int> RotateTokensAsync()
    {
        var stale = Current.Connections.Values.Where(c => TokenProtector.KeyIdOf(c.ProtectedToken) != protector.ActiveKeyId).ToList();
        if (stale.Count == 0)
        {
            return 0;
        }
        var rotated = new Dictionary<string, ConnectionRecord>(Current.Connections);
        foreach (var connection in stale)
        {
            rotated[connection.PixelId] = connection with { ProtectedToken = protector.Protect(protector.Unprotect(connection.ProtectedToken, GrainKey), GrainKey) };
        }
        state.State = Current with { Connections = rotated };
        await state.WriteStateAsync();
        foreach (var connection in stale)
        {
            await Pixel(connection.PixelId).ConfigureAsync(rotated[connection.PixelId].ToSecret());
        }
        return stale.Count;
    }

    public async Task ReportTokenRejectedAsync(string pixelId, int code, string message)
    {
        if (Current.Connections.TryGetValue(pixelId, out var connection) && connection.Status != ConnectionStatus.ReauthorisationRequired)
        {
            var updated = connection with { Status = ConnectionStatus.ReauthorisationRequired, LastError = $"TikTok {code}: {message}", UpdatedAt = time.GetUtcNow() };
            state.State = Current with { Connections = new Dictionary<string, ConnectionRecord>(Current.Connections) { [pixelId] = updated } };
            await state.WriteStateAsync();
            await Pixel(pixelId).ConfigureAsync(updated.ToSecret());
            GrainsLog.TokenRejected(logger, GrainKey, pixelId, code);
        }
    }

    /// <summary>Asks TikTok whether the token may operate the advertiser and its pixel; null when it may.</summary>
    private async Task<ConnectResult?> CheckTokenAsync(string protectedToken, string advertiserId, string pixelId)
    {
        using var budget = new CancellationTokenSource(TokenCheckBudget);
        try
        {
            var token = protector.Unprotect(protectedToken, GrainKey);
            var advertiser = await tiktok.GetAdvertiserInfoAsync(token, [advertiserId], budget.Token);
            if (Judge(advertiser, advertiser.Data?.List?.Any(a => a.AdvertiserId == advertiserId) == true, advertiserId) is { } refused)
            {
                return refused;
            }
            var pixels = await tiktok.ListPixelsAsync(token, advertiserId, pixelId, budget.Token);
            if (pixels.IsSuccess && pixels.Data?.Pixels?.Any(p => p.PixelCode == pixelId) != true)
            {
                return new ConnectResult(ConnectOutcome.PixelNotPermitted, null, pixels.Code, $"TikTok does not list pixel {pixelId} for advertiser {advertiserId} and this token.");
            }
            return Judge(pixels, true, advertiserId);
        }
        catch (OperationCanceledException)
        {
            return new ConnectResult(ConnectOutcome.TikTokUnavailable, null, TikTokCodes.Timeout, "TikTok did not answer in time; nothing was saved.");
        }
    }

    private static ConnectResult? Judge<T>(TikTokResponse<T> answer, bool listed, string advertiserId)
        => answer.Outcome switch
        {
            TikTokOutcome.Success when listed => null,
            TikTokOutcome.Success => new ConnectResult(ConnectOutcome.AdvertiserNotPermitted, null, answer.Code, $"TikTok does not list advertiser {advertiserId} for this token."),
            TikTokOutcome.Authorization when answer.RequiresReauthorisation => new ConnectResult(ConnectOutcome.TokenRejected, null, answer.Code, $"TikTok rejected the access token: {answer.Message}"),
            TikTokOutcome.Authorization or TikTokOutcome.InvalidRequest => new ConnectResult(ConnectOutcome.AdvertiserNotPermitted, null, answer.Code, $"TikTok refused advertiser {advertiserId} for this token: {answer.Message}"),
            _ => new ConnectResult(ConnectOutcome.TikTokUnavailable, null, answer.Code, $"TikTok is not answering ({answer.Code}); nothing was saved."),
        };

    private IPixelGrain Pixel(string pixelId) => GrainFactory.Pixel(GrainKey, pixelId);

    private OrganizerInfo Info() => new(GrainKey, Current.Name!, Current.CreatedAt);

    private static ApiKeyInfo ToInfo(ApiKeyRecord key) => new(key.KeyId, key.Prefix, key.CreatedAt, key.RevokedAt);
}
