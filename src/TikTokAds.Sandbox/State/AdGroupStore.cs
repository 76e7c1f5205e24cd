using System.Globalization;

namespace TikTokAds.Sandbox.State;

/// <summary>
/// Every advertiser's ad groups and the audiences applied to them. An advertiser's first look finds three seeded
/// ad groups (two auction, one reach-and-frequency), so flows work without provisioning; admin may add more.
/// </summary>
public sealed class AdGroupStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SandboxAdGroup> _adGroups = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seeded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<AppliedAudience>> _applied = new(StringComparer.Ordinal);
    private long _nextId = 1790000000000000001;

    public IReadOnlyList<SandboxAdGroup> ForAdvertiser(string advertiserId)
    {
        lock (_lock)
        {
            Seed(advertiserId);
            return [.. _adGroups.Values.Where(g => g.AdvertiserId == advertiserId).OrderBy(g => g.AdGroupId, StringComparer.Ordinal)];
        }
    }

    public SandboxAdGroup? Find(string adGroupId)
    {
        lock (_lock)
        {
            return _adGroups.GetValueOrDefault(adGroupId);
        }
    }

    public SandboxAdGroup Add(string advertiserId, string name, string? campaignId, string buyingType, string operationStatus = "ENABLE")
    {
        lock (_lock)
        {
            Seed(advertiserId);
            return AddLocked(advertiserId, name, campaignId, buyingType, operationStatus);
        }
    }

    /// <summary>Applies (replacing an earlier usage mode) or disconnects one audience on each ad group.</summary>
    public void Set(string audienceId, IEnumerable<string> adGroupIds, string? usageMode, DateTimeOffset now)
    {
        lock (_lock)
        {
            foreach (var id in adGroupIds)
            {
                var applied = _applied.TryGetValue(id, out var list) ? list : _applied[id] = [];
                applied.RemoveAll(a => a.AudienceId == audienceId);
                if (usageMode is not null)
                {
                    applied.Add(new AppliedAudience(audienceId, usageMode, now));
                }
            }
        }
    }

    public IReadOnlyList<AppliedAudience> Applied(string adGroupId)
    {
        lock (_lock)
        {
            return _applied.TryGetValue(adGroupId, out var list) ? [.. list] : [];
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _adGroups.Clear();
            _seeded.Clear();
            _applied.Clear();
        }
    }

    private void Seed(string advertiserId)
    {
        if (_seeded.Add(advertiserId))
        {
            var campaign = NextId();
            AddLocked(advertiserId, "Prospecting - Summer Festival", campaign, SandboxAdGroup.Auction, "ENABLE");
            AddLocked(advertiserId, "Retargeting - Cart", campaign, SandboxAdGroup.Auction, "ENABLE");
            AddLocked(advertiserId, "Reach & Frequency - Launch", NextId(), SandboxAdGroup.ReachAndFrequency, "DISABLE");
        }
    }

    private SandboxAdGroup AddLocked(string advertiserId, string name, string? campaignId, string buyingType, string operationStatus)
    {
        var group = new SandboxAdGroup(NextId(), advertiserId, campaignId ?? NextId(), name, operationStatus, buyingType);
        _adGroups[group.AdGroupId] = group;
        return group;
    }

    private string NextId() => (_nextId++).ToString(CultureInfo.InvariantCulture);
}
