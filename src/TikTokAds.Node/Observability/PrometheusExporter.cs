using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace TikTokAds.Node.Observability;

/// <summary>
/// The node's TikTokAds.* meters in Prometheus text format. A MeterListener keeps one running value per
/// instrument and tag set (a few interlocked adds per measurement); observable instruments are read
/// only when /metrics is scraped, so nobody watching costs nearly nothing.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] Buckets = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), Series> _series = new();
    private readonly Lock _scrape = new();

    public PrometheusExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("TikTokAds.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public string Render()
    {
        lock (_scrape)
        {
            _listener.RecordObservableInstruments();
        }
        var text = new StringBuilder();
        foreach (var family in _series.GroupBy(s => s.Key.Instrument).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
        {
            var instrument = family.Key;
            var name = NameOf(instrument);
            var kind = KindOf(instrument);
            text.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description ?? instrument.Name).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(kind).Append('\n');
            foreach (var (key, series) in family.OrderBy(s => s.Key.Labels, StringComparer.Ordinal))
            {
                series.Write(text, name, key.Labels, kind);
            }
        }
        return text.ToString();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        var series = _series.GetOrAdd((instrument, labels), static _ => new Series());
        if (KindOf(instrument) == "histogram")
        {
            series.Observe(value);
        }
        else if (instrument.IsObservable)
        {
            // Observable instruments report their current (or cumulative) value on each scrape.
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    private static string KindOf(Instrument instrument)
    {
        var type = instrument.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Histogram<>))
        {
            return "histogram";
        }
        return type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Counter<>) || type.GetGenericTypeDefinition() == typeof(ObservableCounter<>)) ? "counter" : "gauge";
    }

    /// <summary>tiktokads.grain.calls → tiktokads_grain_calls_total; a histogram in ms → …_ms.</summary>
    public static string NameOf(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        return KindOf(instrument) switch
        {
            "counter" => name + "_total",
            "histogram" when instrument.Unit is { Length: > 0 } unit && !unit.StartsWith('{') => $"{name}_{unit}",
            _ => name,
        };
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return "";
        }
        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            pairs.Add($"{key.Replace('.', '_')}=\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
        }
        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    public void Dispose() => _listener.Dispose();

    private sealed class Series
    {
        private readonly Lock _lock = new();
        private readonly long[] _buckets = new long[Buckets.Length];
        private double _value;
        private double _sum;
        private long _count;

        public void Add(double value)
        {
            lock (_lock)
            {
                _value += value;
            }
        }

        public void Set(double value)
        {
            lock (_lock)
            {
                _value = value;
            }
        }

        public void Observe(double value)
        {
            lock (_lock)
            {
                _sum += value;
                _count++;
                for (var i = 0; i < Buckets.Length; i++)
                {
                    if (value <= Buckets[i])
                    {
                        _buckets[i]++;
                    }
                }
            }
        }

        public void Write(StringBuilder text, string name, string labels, string kind)
        {
            lock (_lock)
            {
                if (kind != "histogram")
                {
                    text.Append(name).Append(Braces(labels)).Append(' ').Append(Number(_value)).Append('\n');
                    return;
                }
                for (var i = 0; i < Buckets.Length; i++)
                {
                    text.Append(name).Append("_bucket").Append(Braces(Join(labels, $"le=\"{Number(Buckets[i])}\""))).Append(' ').Append(_buckets[i]).Append('\n');
                }
                text.Append(name).Append("_bucket").Append(Braces(Join(labels, "le=\"+Inf\""))).Append(' ').Append(_count).Append('\n');
                text.Append(name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(_sum)).Append('\n');
                text.Append(name).Append("_count").Append(Braces(labels)).Append(' ').Append(_count).Append('\n');
            }
        }

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : $"{labels},{extra}";

        private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

        private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
