using System.Globalization;

namespace TikTokAds.Sandbox.State;

/// <summary>Instant forms, their leads, export tasks and LEAD webhook subscriptions.</summary>
public sealed class LeadStore
{
    private readonly Lock _lock = new();
    private readonly List<LeadForm> _forms = [];
    private readonly List<SandboxLead> _leads = [];
    private readonly Dictionary<string, LeadTask> _tasks = new(StringComparer.Ordinal);
    private readonly List<LeadSubscription> _subscriptions = [];
    private readonly List<WebhookDelivery> _deliveries = [];
    private long _nextId = 7300000000000000001;

    public LeadForm AddForm(string advertiserId, string pageId, string title, DateTimeOffset now)
    {
        lock (_lock)
        {
            var form = new LeadForm(advertiserId, pageId, title, now);
            _forms.RemoveAll(f => f.AdvertiserId == advertiserId && f.PageId == pageId);
            _forms.Add(form);
            return form;
        }
    }

    public IReadOnlyList<LeadForm> Forms(string advertiserId)
    {
        lock (_lock)
        {
            return [.. _forms.Where(f => f.AdvertiserId == advertiserId)];
        }
    }

    public SandboxLead AddLead(string advertiserId, string pageId, string adId, IReadOnlyDictionary<string, string> fields, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_forms.Any(f => f.AdvertiserId == advertiserId && f.PageId == pageId))
            {
                _forms.Add(new LeadForm(advertiserId, pageId, $"Form {pageId}", now));
            }
            var lead = new SandboxLead(NextId(), advertiserId, pageId, adId, fields, now);
            _leads.Add(lead);
            return lead;
        }
    }

    public LeadTask CreateTask(string advertiserId, string? pageId, string? adId, DateTimeOffset now)
    {
        lock (_lock)
        {
            var task = new LeadTask(NextId(), advertiserId, pageId, adId, now);
            _tasks[task.TaskId] = task;
            return task;
        }
    }

    public LeadTask? Task(string taskId)
    {
        lock (_lock)
        {
            return _tasks.GetValueOrDefault(taskId);
        }
    }

    public IReadOnlyList<SandboxLead> LeadsFor(LeadTask task)
    {
        lock (_lock)
        {
            return [.. _leads.Where(l => l.AdvertiserId == task.AdvertiserId
                && (task.PageId is null || l.PageId == task.PageId)
                && (task.AdId is null || l.AdId == task.AdId)
                && l.CreatedAt <= task.CreatedAt)];
        }
    }

    public LeadSubscription Subscribe(string callbackUrl, string secret, string advertiserId, string? pageId)
    {
        lock (_lock)
        {
            var subscription = new LeadSubscription(NextId(), callbackUrl, secret, advertiserId, pageId);
            _subscriptions.Add(subscription);
            return subscription;
        }
    }

    public IReadOnlyList<LeadSubscription> SubscriptionsFor(SandboxLead lead)
    {
        lock (_lock)
        {
            return [.. _subscriptions.Where(s => s.AdvertiserId == lead.AdvertiserId && (s.PageId is null || s.PageId == lead.PageId))];
        }
    }

    public void RecordDelivery(WebhookDelivery delivery)
    {
        lock (_lock)
        {
            _deliveries.Add(delivery);
        }
    }

    public IReadOnlyList<WebhookDelivery> Deliveries()
    {
        lock (_lock)
        {
            return [.. _deliveries];
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _forms.Clear();
            _leads.Clear();
            _tasks.Clear();
            _subscriptions.Clear();
            _deliveries.Clear();
        }
    }

    private string NextId() => (_nextId++).ToString(CultureInfo.InvariantCulture);
}

public sealed record LeadForm(string AdvertiserId, string PageId, string Title, DateTimeOffset CreatedAt);

public sealed record SandboxLead(string LeadId, string AdvertiserId, string PageId, string AdId, IReadOnlyDictionary<string, string> Fields, DateTimeOffset CreatedAt);

/// <summary>An export task: CREATED on the first call, RUNNING on the next poll, then SUCCEED.</summary>
public sealed record LeadTask(string TaskId, string AdvertiserId, string? PageId, string? AdId, DateTimeOffset CreatedAt)
{
    public int Polls { get; set; }

    public string Status => Polls switch
    {
        0 => "CREATED",
        1 => "RUNNING",
        _ => "SUCCEED",
    };
}

public sealed record LeadSubscription(string SubscriptionId, string CallbackUrl, string Secret, string AdvertiserId, string? PageId);

public sealed record WebhookDelivery(string SubscriptionId, string LeadId, string CallbackUrl, int Attempt, int? HttpStatus, string? Error, DateTimeOffset At);
