using System.Globalization;
using System.Text.Json;

namespace HierReason.Core.Perf;

/// <summary>
/// reasoning-gym's single-core throughput measured by <c>build/perf/reasoning_gym_anchor.py</c> on this machine in this run:
/// the only figure <c>perf tasks</c> states a ratio against. A file from another host, or older than the allowed age, is
/// refused: a ratio against a constant from another machine or day is not a measurement.
/// </summary>
public sealed record ReasoningGymAnchor(
    string Path,
    string Version,
    string Python,
    HostIdentity Host,
    DateTimeOffset MeasuredAt,
    IReadOnlyDictionary<string, double> ItemsPerCpuSecond)
{
    /// <summary>The product's promise: at least this many times reasoning-gym's items per CPU-second.</summary>
    public const double TargetRatio = 20.0;

    /// <summary>How the anchor was measured, for reports.</summary>
    public string Provenance => string.Create(CultureInfo.InvariantCulture,
        $"{Version} ({Python}), items per CPU-second on one thread, measured {MeasuredAt:yyyy-MM-dd HH:mm:ss}Z on {Host.Hostname} ({Host.CpuModel}); {Path}");

    /// <summary>reasoning-gym's items per CPU-second for <paramref name="task"/>, or null when the anchor did not measure it.</summary>
    public double? For(string task) => ItemsPerCpuSecond.TryGetValue(task, out var v) ? v : null;

    /// <summary>Reads the script's JSON; every malformed field is a <see cref="ConfigException"/> naming the file and JSON path.</summary>
    public static ReasoningGymAnchor Load(string path)
    {
        if (!File.Exists(path)) throw new ConfigException(path, "$", "the JSON that build/perf/reasoning_gym_anchor.py writes", "no such file");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new ConfigException(path, "$", "JSON", e.Message);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ConfigException(path, "$", "an object", root.ValueKind.ToString().ToLowerInvariant());
            var kind = String(path, root, "kind");
            if (kind != "reasoning-gym-anchor") throw new ConfigException(path, "$.kind", "\"reasoning-gym-anchor\"", $"\"{kind}\"");
            var machine = Object(path, root, "machine");
            var host = new HostIdentity(String(path, machine, "hostname", "$.machine"), String(path, machine, "cpu_model", "$.machine"));
            var when = String(path, root, "measured_at");
            if (!DateTimeOffset.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var measuredAt))
                throw new ConfigException(path, "$.measured_at", "an ISO 8601 time", $"\"{when}\"");
            var rates = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var task in Object(path, root, "tasks").EnumerateObject())
            {
                var at = $"$.tasks.{task.Name}";
                if (task.Value.ValueKind != JsonValueKind.Object) throw new ConfigException(path, at, "an object", task.Value.ValueKind.ToString().ToLowerInvariant());
                if (!task.Value.TryGetProperty("items_per_cpu_second", out var rate) || rate.ValueKind != JsonValueKind.Number || !(rate.GetDouble() > 0))
                    throw new ConfigException(path, at + ".items_per_cpu_second", "a positive number", rate.ValueKind == JsonValueKind.Undefined ? "missing" : rate.GetRawText());
                rates[task.Name] = rate.GetDouble();
            }
            if (rates.Count == 0) throw new ConfigException(path, "$.tasks", "at least one measured task", "none");
            return new ReasoningGymAnchor(path, String(path, root, "reasoning_gym"), String(path, root, "python"), host, measuredAt, rates);
        }
    }

    /// <summary>
    /// Refuses an anchor measured on another host or more than <paramref name="maxAge"/> before <paramref name="now"/>:
    /// the ratio would compare two machines or two days instead of two implementations.
    /// </summary>
    public void EnsureSameRun(HostIdentity host, DateTimeOffset now, TimeSpan maxAge)
    {
        if (!string.Equals(Host.Hostname, host.Hostname, StringComparison.OrdinalIgnoreCase) || Host.CpuModel != host.CpuModel)
            throw new ConfigException(Path, "$.machine", $"this machine ({host.Hostname}, {host.CpuModel}): a ratio across machines is not a measurement",
                $"{Host.Hostname}, {Host.CpuModel}");
        var age = now - MeasuredAt;
        if (age > maxAge || age < -TimeSpan.FromMinutes(5))
            throw new ConfigException(Path, "$.measured_at",
                string.Create(CultureInfo.InvariantCulture, $"a time within the last {maxAge.TotalMinutes:0} minutes (measure the anchor in the same run: build/perf/tasks-vs-reasoning-gym.sh)"),
                string.Create(CultureInfo.InvariantCulture, $"{MeasuredAt:yyyy-MM-dd HH:mm:ss}Z, {age.TotalMinutes:0} minutes before now"));
    }

    private static JsonElement Object(string path, JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object)
            throw new ConfigException(path, "$." + name, "an object", value.ValueKind == JsonValueKind.Undefined ? "missing" : value.ValueKind.ToString().ToLowerInvariant());
        return value;
    }

    private static string String(string path, JsonElement parent, string name, string at = "$")
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            throw new ConfigException(path, $"{at}.{name}", "a non-empty string", value.ValueKind == JsonValueKind.Undefined ? "missing" : value.GetRawText());
        return value.GetString()!;
    }
}
