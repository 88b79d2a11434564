using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core.Tasks;

namespace HierReason.Core.Episodes;

/// <summary>
/// Picks one of an item's sampled episodes as its answer: the most common answer (<c>majority_vote</c>, self-consistency)
/// or the episode a reward model ranks highest (<c>best_of_n</c>). Returns the chosen index.
/// </summary>
public interface ISampleSelector
{
    int Select(TaskItem item, IReadOnlyList<Episode> candidates, AnswerSource answers);
}

/// <summary>
/// A strategy that answers each item by sampling <paramref name="Samples"/> single-turn episodes at
/// <paramref name="Temperature"/> / <paramref name="TopP"/> and keeping the one <paramref name="Selector"/> picks. The job's
/// row scores the kept episode; its statistics say how often some candidate was right (<c>pass_at_n</c>, the upper bound
/// any selector can reach) and how many candidates agreed with the kept answer.
/// </summary>
public sealed record SampleSelection(int Samples, double Temperature, double TopP, ISampleSelector Selector)
{
    /// <summary>Options shared by the selection strategies: <c>n</c> (1–256, default 8), <c>temperature</c> (0–2, default 0.8), <c>top_p</c> (0–1, default 1).</summary>
    public static JsonObject CheckSamplingOptions(JsonObject? options, string? file, string path, IReadOnlyCollection<string> more)
    {
        var n = 8L;
        var temperature = 0.8;
        var topP = 1.0;
        var rest = new JsonObject();
        foreach (var (key, value) in options ?? [])
        {
            switch (key)
            {
                case "n": n = StrategyCatalog.Integer(value, file, $"{path}.n", 1, 256); break;
                case "temperature": temperature = StrategyCatalog.Number(value, file, $"{path}.temperature", 0, 2); break;
                case "top_p": topP = StrategyCatalog.Number(value, file, $"{path}.top_p", 0, 1); break;
                default:
                    if (!more.Contains(key))
                        throw new ConfigException(file, $"{path}.{key}", $"one of the options {string.Join(", ", new[] { "n", "temperature", "top_p" }.Concat(more))}", $"unknown option '{key}'");
                    rest[key] = value?.DeepClone();
                    break;
            }
        }
        if (topP <= 0) throw new ConfigException(file, $"{path}.top_p", "a number in (0, 1]", "0");
        var checkedOptions = new JsonObject { ["n"] = n, ["temperature"] = temperature, ["top_p"] = topP };
        foreach (var (key, value) in rest) checkedOptions[key] = value?.DeepClone();
        return checkedOptions;
    }

    /// <summary>The selection of checked options (see <see cref="CheckSamplingOptions"/>).</summary>
    public static SampleSelection From(JsonObject checkedOptions, ISampleSelector selector) =>
        new((int)checkedOptions["n"]!.GetValue<long>(), checkedOptions["temperature"]!.GetValue<double>(), checkedOptions["top_p"]!.GetValue<double>(), selector);

}

/// <summary>
/// Self-consistency: the answer most candidates gave (answers compared as extracted, trimmed); ties go to the answer given
/// first, and the kept episode is the first that gave it. With no answer at all, the first candidate.
/// </summary>
public sealed class MajorityVoteSelector : ISampleSelector
{
    public static MajorityVoteSelector Instance { get; } = new();

    public int Select(TaskItem item, IReadOnlyList<Episode> candidates, AnswerSource answers)
    {
        var given = candidates.Select(c => c.Answer(answers)?.Trim()).ToList();
        var top = given.Select((a, i) => (a, i)).Where(x => x.a is not null).GroupBy(x => x.a, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.First().i).FirstOrDefault();
        return top?.First().i ?? 0;
    }
}
