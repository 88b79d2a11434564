using System.Text.Json;
using System.Text.Json.Serialization;

namespace HierReason.Core.Results;

/// <summary>
/// The means of a strategy's episode statistics over a job's (or a cell's) items, each item's first sample:
/// planner_worker's <c>decomposed</c>, <c>subproblems</c>, <c>worker_tokens</c>, … An episode that lacks a statistic counts
/// 0 for it (a plan cut off before the worker saw it decomposed nothing and cost no worker tokens), so a rate is over
/// every item. Written as a plain object, <c>"stats": {"decomposed": 0.93, …}</c>, names in ordinal order.
/// </summary>
[JsonConverter(typeof(EpisodeStatsJson))]
public sealed record EpisodeStats(IReadOnlyDictionary<string, double> Means)
{
    /// <summary>1 when the policy's turn ran out of tokens, so the environment never finished the episode (e.g. a plan cut off before the worker saw it).</summary>
    public const string Truncated = "truncated";

    /// <summary>An episode's statistics as a job counts them: those its environment recorded, plus <see cref="Truncated"/>.</summary>
    public static IReadOnlyDictionary<string, double> Episode(IReadOnlyDictionary<string, double>? recorded, bool truncated) =>
        new Dictionary<string, double>(recorded ?? new Dictionary<string, double>(), StringComparer.Ordinal) { [Truncated] = truncated ? 1 : 0 };

    /// <summary>The means over <paramref name="episodes"/>' statistics; null when no episode has any (vanilla jobs).</summary>
    public static EpisodeStats? Of(IReadOnlyList<IReadOnlyDictionary<string, double>?> episodes)
    {
        if (episodes.All(e => e is null or { Count: 0 })) return null;
        var names = episodes.Where(e => e is not null).SelectMany(e => e!.Keys).Distinct().Order(StringComparer.Ordinal);
        return new EpisodeStats(names.ToDictionary(n => n, n => episodes.Sum(e => e?.GetValueOrDefault(n) ?? 0) / episodes.Count, StringComparer.Ordinal));
    }

    /// <summary>
    /// The item-weighted means of disjoint sets of items (a cell's seeds); null when a set with items has no statistics
    /// (part of the cell would be missing) or there are no items.
    /// </summary>
    public static EpisodeStats? Pool(IReadOnlyList<(int N, EpisodeStats? Stats)> parts)
    {
        var n = parts.Sum(p => (long)p.N);
        if (n == 0 || parts.Any(p => p.N > 0 && p.Stats is null)) return null;
        var names = parts.Where(p => p.Stats is not null).SelectMany(p => p.Stats!.Means.Keys).Distinct().Order(StringComparer.Ordinal);
        return new EpisodeStats(names.ToDictionary(name => name, name => parts.Sum(p => p.N * (p.Stats?.Means.GetValueOrDefault(name) ?? 0)) / n, StringComparer.Ordinal));
    }

    /// <summary>The mean of <paramref name="name"/>, or null when no episode recorded it.</summary>
    public double? Mean(string name) => Means.TryGetValue(name, out var value) ? value : null;

    // By value, so a result read back from its file equals the one written.
    public bool Equals(EpisodeStats? other) =>
        other is not null && Means.Count == other.Means.Count && Means.All(p => other.Means.TryGetValue(p.Key, out var v) && v.Equals(p.Value));

    public override int GetHashCode() => Means.Count;
}

/// <summary>Writes <see cref="EpisodeStats"/> as the object of its means and reads it back.</summary>
internal sealed class EpisodeStatsJson : JsonConverter<EpisodeStats>
{
    public override EpisodeStats Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(JsonSerializer.Deserialize<Dictionary<string, double>>(ref reader, options) ?? throw new JsonException("\"stats\": expected an object of numbers"));

    public override void Write(Utf8JsonWriter writer, EpisodeStats value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.Means, options);
}
