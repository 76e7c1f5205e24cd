using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Security;

namespace TikTokAds.Grains.Organizers;

/// <summary>One organizer: its keys, pixel connections and OAuth grants. It orchestrates; the plain classes beside it decide.</summary>
[Orleans.Placement.HashBasedPlacement]
public sealed class OrganizerGrain(
    [PersistentState("organizer", GrainStorage.Name)] IPersistentState<OrganizerState> state,
    OrganizerTikTok tiktok,
    TokenProtector protector,
    IOptions<OAuthOptions> oauthOptions,
    TimeProvider time,
    ILogger<OrganizerGrain> logger) : Grain, IOrganizerGrain, IRemindable
{
    private const string AdAccountReminder = "ad-accounts";

    private string GrainKey => this.GetPrimaryKeyString();

    private OrganizerState Current => state.State;

    // Reads answer from state alone.
    public Task<OrganizerInfo?> GetAsync() => Task.FromResult(Current.Exists ? Info() : null);
    public Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync() => Task.FromResult<IReadOnlyList<ApiKeyInfo>>([.. Current.Keys.Select(k => k.ToInfo())]);
    public Task<IReadOnlyList<ConnectionView>> GetConnectionsAsync() => Task.FromResult<IReadOnlyList<ConnectionView>>([.. Connections().Select(c => c.ToView())]);
    public Task<ConnectionSecret?> GetAdvertiserCredentialAsync(string advertiserId) => Task.FromResult(AdvertiserAccessPolicy.Credential(Current, advertiserId));
    public Task<ConnectionSecret?> GetPixelCredentialAsync(string pixelId) => Task.FromResult(Current.Connections.GetValueOrDefault(pixelId)?.ToSecret());
    public Task<AdvertiserAccess> GetAdvertiserAccessAsync(string advertiserId) => Task.FromResult(AdvertiserAccessPolicy.Access(Current, advertiserId));
    public Task<IReadOnlyList<AuthorizationView>> ListAuthorizationsAsync() => Task.FromResult(AuthorizationGrants.Views(Current));
    public Task<IReadOnlyList<AdAccountView>> ListAdAccountsAsync() => Task.FromResult(AdAccountSync.Views(Current));

    public async Task<OrganizerInfo> CreateAsync(string name, CancellationToken cancellationToken)
    {
        if (!Current.Exists)
        {
            await SaveAsync(Current with { Name = name, CreatedAt = time.GetUtcNow() }, cancellationToken);
            // Not cancelled once stored: a repeated create finds the organizer and would never list it.
            await GrainFactory.OrganizerDirectory().AddAsync(Info(), CancellationToken.None);
        }
        return Info();
    }

    public async Task<ApiKeyInfo?> AddKeyAsync(NewApiKey key, CancellationToken cancellationToken)
    {
        if (!Current.Exists)
        {
            return null;
        }
        var record = new ApiKeyRecord(key.KeyId, key.KeyHash, key.Prefix, time.GetUtcNow(), null);
        // The lookup entry first: a key the organizer lists must always resolve.
        await GrainFactory.ApiKey(key.KeyHash).RegisterAsync(GrainKey, key.KeyId, cancellationToken);
        await SaveAsync(Current with { Keys = [.. Current.Keys, record] }, cancellationToken);
        return record.ToInfo();
    }

    public async Task<string?> RevokeKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        if (Current.Keys.FirstOrDefault(k => k.KeyId == keyId) is not { } key)
        {
            return null;
        }
        await GrainFactory.ApiKey(key.KeyHash).RevokeAsync(cancellationToken);
        if (key.RevokedAt is null)
        {
            await SaveAsync(Current with { Keys = [.. Current.Keys.Select(k => k.KeyId == keyId ? k with { RevokedAt = time.GetUtcNow() } : k)] }, cancellationToken);
        }
        return key.KeyHash;
    }

    public async Task<ConnectResult> ConnectAsync(ConnectRequest request, CancellationToken cancellationToken)
    {
        var (resolved, authorizationId, refused) = Current.Exists ? AuthorizationBinding.Resolve(Current, request) : (null, null, ConnectionTransitions.OrganizerNotFound);
        refused ??= await tiktok.CheckTokenAsync(GrainKey, resolved!.ProtectedToken!, request.AdvertiserId, request.PixelId, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }
        var existing = Current.Connections.GetValueOrDefault(request.PixelId);
        var record = ConnectionTransitions.Connect(existing, resolved!, time.GetUtcNow(), authorizationId);
        await ReconfigureAsync([record], cancellationToken);
        GrainsLog.Connected(logger, GrainKey, request.PixelId, request.AdvertiserId, request.TestMode);
        // Never awaited: a reconciliation run asks this grain for the pixel's credential, so a wait here could deadlock the two.
        _ = GrainFactory.Reconciliation(GrainKey, request.PixelId).ScheduleAsync(CancellationToken.None);
        return ConnectionTransitions.Connected(existing, record);
    }

    public async Task<IReadOnlyList<ConnectionView>> DescribeConnectionsAsync(CancellationToken cancellationToken)
    {
        var connections = Connections().ToList();
        var pixels = await Task.WhenAll(connections.Select(c => Pixel(c.PixelId).GetStatusAsync())).WaitAsync(cancellationToken);
        return [.. connections.Zip(pixels, ConnectionTransitions.Described)];
    }

    public async Task<DisconnectResult> DisconnectAsync(string pixelId, CancellationToken cancellationToken)
    {
        if (!Current.Connections.ContainsKey(pixelId))
        {
            return ConnectionTransitions.NotFound(pixelId);
        }
        // The pixel flushes what its budget allows first; whatever it could not send is reported.
        var flushed = await Pixel(pixelId).DisconnectAsync(cancellationToken);
        await SaveAsync(Current with { Connections = ConnectionTransitions.Without(Current.Connections, pixelId) }, cancellationToken);
        GrainsLog.Disconnected(logger, GrainKey, pixelId);
        return flushed;
    }

    public async Task<ConnectResult> VerifyAsync(string pixelId, CancellationToken cancellationToken)
    {
        if (!Current.Connections.TryGetValue(pixelId, out var connection))
        {
            return ConnectionTransitions.NotConnected(pixelId);
        }
        var check = await tiktok.CheckTokenAsync(GrainKey, connection.ProtectedToken, connection.AdvertiserId, pixelId, cancellationToken);
        if (check?.Outcome == ConnectOutcome.TokenRejected)
        {
            await RejectTokenAsync(pixelId, check.TikTokCode, check.Message, cancellationToken);
        }
        else if (check is null && ConnectionTransitions.Healed(connection, time.GetUtcNow()) is { } healed)
        {
            await ReconfigureAsync([healed], cancellationToken);
        }
        return ConnectionTransitions.Verified(check, Current.Connections[pixelId].ToView());
    }

    public async Task<int> RotateTokensAsync(CancellationToken cancellationToken)
    {
        string Reprotect(string token) => protector.Protect(protector.Unprotect(token, GrainKey), GrainKey);
        var grants = TokenRotation.Plan(Current.Authorizations.Values, protector.ActiveKeyId, Reprotect);
        if (grants.Count > 0)
        {
            await SaveAsync(Current with { Authorizations = Current.Authorizations.Values.Select(a => grants.FirstOrDefault(g => g.Id == a.Id) ?? a).ToDictionary(a => a.Id) }, cancellationToken);
        }
        var connections = TokenRotation.Plan(Current.Connections.Values, protector.ActiveKeyId, Reprotect);
        await ReconfigureAsync(connections, cancellationToken);
        return grants.Count + connections.Count;
    }

    // Pixels send this without waiting for it, so no caller is left to cancel.
    public Task ReportTokenRejectedAsync(string pixelId, string protectedToken, int code, string message)
    {
        if (!Holds(Current.Connections.GetValueOrDefault(pixelId)?.ProtectedToken, protectedToken))
        {
            GrainsLog.StaleTokenRejection(logger, GrainKey, "pixel", pixelId, code);
            return Task.CompletedTask;
        }
        return RejectTokenAsync(pixelId, code, message, CancellationToken.None);
    }

    /// <summary>
    /// Rejects whatever holds the token that was sent: a grant of the advertiser, else the advertiser's connections
    /// with that token pasted. Not the advertiser's access as it is now, which may have moved to another grant or
    /// connection while the call was out (a new consent, a reconnect, a grant rejected before).
    /// </summary>
    public async Task ReportAdvertiserTokenRejectedAsync(string advertiserId, string protectedToken, int code, string message)
    {
        if (Current.Authorizations.Values.FirstOrDefault(a => a.AdvertiserIds.Contains(advertiserId) && Holds(a.ProtectedToken, protectedToken)) is { } authorization)
        {
            await RejectAuthorizationAsync(authorization.Id, code, message, CancellationToken.None);
            return;
        }
        var holders = Current.Connections.Values.Where(c => c.AdvertiserId == advertiserId && Holds(c.ProtectedToken, protectedToken)).Select(c => c.PixelId).ToList();
        if (holders.Count == 0)
        {
            GrainsLog.StaleTokenRejection(logger, GrainKey, "advertiser", advertiserId, code);
        }
        foreach (var pixelId in holders)
        {
            await RejectTokenAsync(pixelId, code, message, CancellationToken.None);
        }
    }

    /// <summary>
    /// Whether the token a report names is the one <paramref name="stored"/> protects: the same ciphertext, or the same
    /// token under another key or nonce, as after a rotation re-encrypted it while the call was out.
    /// </summary>
    private bool Holds(string? stored, string? reported)
    {
        if (stored is null || reported is null)
        {
            return false;
        }
        if (stored == reported)
        {
            return true;
        }
        try
        {
            return protector.Unprotect(stored, GrainKey) == protector.Unprotect(reported, GrainKey);
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            return false;
        }
    }

    private async Task RejectTokenAsync(string pixelId, int code, string message, CancellationToken cancellationToken)
    {
        if (Current.Connections.GetValueOrDefault(pixelId) is { AuthorizationId: { } authorizationId } && Current.Authorizations.ContainsKey(authorizationId))
        {
            // The token is the authorization's: everything that uses it is told at once, not at its next call. A
            // connection whose authorization was deleted keeps its copy of the token, and is marked alone below.
            await RejectAuthorizationAsync(authorizationId, code, message, cancellationToken);
        }
        else if (Current.Connections.TryGetValue(pixelId, out var connection) && ConnectionTransitions.Rejected(connection, code, message, time.GetUtcNow()) is { } rejected)
        {
            await ReconfigureAsync([rejected], cancellationToken);
            GrainsLog.TokenRejected(logger, GrainKey, pixelId, code);
        }
    }

    private async Task RejectAuthorizationAsync(string authorizationId, int code, string message, CancellationToken cancellationToken)
    {
        if (Current.Authorizations.GetValueOrDefault(authorizationId)?.Status != AuthorizationStatus.Active
            || AuthorizationBinding.Rejected(Current, authorizationId, code, message, time.GetUtcNow()) is not { } rejected)
        {
            return;
        }
        await SaveAsync(rejected.State, cancellationToken);
        await ReconfigureAsync(rejected.Connections, cancellationToken);
        GrainsLog.AuthorizationRejected(logger, GrainKey, authorizationId, code);
    }

    public async Task<AuthorizationStart?> BeginAuthorizationAsync(TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (!Current.Exists)
        {
            return null;
        }
        var opened = new ConsentBook(Current.Consents).Open(time.GetUtcNow(), lifetime);
        await SaveAsync(Current with { Consents = opened.Consents }, cancellationToken);
        return new AuthorizationStart($"{GrainKey}.{opened.Nonce}", opened.ExpiresAt);
    }

    public async Task<AuthorizationResult> CompleteAuthorizationAsync(string nonce, string authCode, CancellationToken cancellationToken)
    {
        var redeemed = new ConsentBook(Current.Consents).Redeem(nonce, time.GetUtcNow());
        if ((AuthorizationGrants.Unavailable(Current, tiktok.HasApp) ?? redeemed.Refusal) is { } refusal)
        {
            return refusal;
        }
        // Burnt before TikTok is asked, so a replayed callback can never exchange twice.
        await SaveAsync(Current with { Consents = redeemed.Consents }, cancellationToken);
        var (record, refused) = await tiktok.ExchangeAsync(GrainKey, authCode, cancellationToken);
        if (record is null)
        {
            return refused!;
        }
        // Not cancelled from here: TikTok has spent the auth_code, so the grant is kept, described and
        // routed even if the caller has gone. The grant is stored before the slow description.
        var rebound = AuthorizationBinding.Rebound(Current, record, time.GetUtcNow());
        await SaveAsync(AuthorizationGrants.Grant(Current, record), CancellationToken.None);
        await ReconfigureAsync(rebound, CancellationToken.None);
        GrainsLog.Authorized(logger, GrainKey, record.Id, record.AdvertiserIds.Count);
        var synced = await tiktok.DescribeAsync(GrainKey, record, CancellationToken.None);
        await SaveAsync(AdAccountSync.Merge(Current, [synced], time.GetUtcNow()), CancellationToken.None);
        await Task.WhenAll(record.AdvertiserIds.Select(id => GrainFactory.LeadRouter(id).RegisterAsync(GrainKey, null)));
        await AdAccountSchedule(CancellationToken.None).SetAsync(true);
        return AuthorizationGrants.Authorized(Current, record.Id);
    }

    public async Task<bool> DeleteAuthorizationAsync(string authorizationId, CancellationToken cancellationToken)
    {
        if (AuthorizationGrants.Remove(Current, authorizationId) is not { } removal)
        {
            return false;
        }
        await SaveAsync(removal.State, cancellationToken);
        await Task.WhenAll(removal.Orphaned.Select(id => GrainFactory.LeadRouter(id).UnregisterAsync(GrainKey)));
        await AdAccountSchedule(cancellationToken).SetAsync(Current.Authorizations.Count > 0);
        GrainsLog.AuthorizationDeleted(logger, GrainKey, authorizationId);
        return true;
    }

    public async Task<AdAccountSyncResult> SyncAdAccountsAsync(CancellationToken cancellationToken)
    {
        if (!tiktok.HasApp)
        {
            return AdAccountSync.NotConfigured(Current);
        }
        var results = await tiktok.SyncAsync(GrainKey, Current.Authorizations.Values, cancellationToken);
        await SaveAsync(AdAccountSync.Merge(Current, results, time.GetUtcNow()), cancellationToken);
        return AdAccountSync.Summary(Current, results);
    }

    /// <summary>The daily sync; with nothing left to sync the reminder switches itself off.</summary>
    public Task ReceiveReminder(string reminderName, TickStatus status, CancellationToken cancellationToken)
        => Current.Authorizations.Count > 0 ? SyncAdAccountsAsync(cancellationToken) : AdAccountSchedule(cancellationToken).SetAsync(false);

    // IRemindable's older overload: a tick through it has no token to pass on.
    public Task ReceiveReminder(string reminderName, TickStatus status) => ReceiveReminder(reminderName, status, CancellationToken.None);

    private ReminderSwitch AdAccountSchedule(CancellationToken cancellationToken) => this.ReminderSwitch(
        AdAccountReminder, () => oauthOptions.Value.AdAccountSyncInterval, oauthOptions.Value.AdAccountSyncInterval,
        () => Current.AdAccountSyncScheduled, on => SaveAsync(Current with { AdAccountSyncScheduled = on }, cancellationToken));

    /// <summary>Stores the connections, then hands each to its pixel.</summary>
    private async Task ReconfigureAsync(IReadOnlyList<ConnectionRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count > 0)
        {
            await SaveAsync(Current with { Connections = ConnectionTransitions.With(Current.Connections, records) }, cancellationToken);
            await Task.WhenAll(records.Select(r => Pixel(r.PixelId).ConfigureAsync(r.ToSecret())));
        }
    }

    private Task SaveAsync(OrganizerState next, CancellationToken cancellationToken) => state.WriteAsync(next, cancellationToken);

    private IEnumerable<ConnectionRecord> Connections() => Current.Connections.Values.OrderBy(c => c.ConnectedAt);

    private IPixelGrain Pixel(string pixelId) => GrainFactory.Pixel(GrainKey, pixelId);

    private OrganizerInfo Info() => new(GrainKey, Current.Name!, Current.CreatedAt);
}
