using System.Text.Json;
using System.Text.Json.Serialization;
using HierReason.Core.IO;
using HierReason.Core.Results;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Experiments;
using HierReason.Training.Sft;

namespace HierReason.Training.Evaluation;

/// <summary>
/// Whether GRPO has room, measured before its first step on the model it starts from: per task, greedy accuracy and
/// k samples at T = 1 (pass@k, maj@k, one-sample accuracy) on the first items of the evaluation split. GRPO can only
/// raise what the model already does some of the time: pass@k well above greedy is room; pass@k near greedy is none.
/// Written to <c>readiness.json</c> beside the metrics.
/// </summary>
public sealed record ReadinessReport(
    [property: JsonPropertyName("split")] string Split,
    [property: JsonPropertyName("tasks")] IReadOnlyDictionary<string, TaskReadiness> Tasks)
{
    public const string FileName = "readiness.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>Measures <paramref name="model"/> on <paramref name="n"/> items per task of <paramref name="data"/>.</summary>
    public static ReadinessReport Measure(CausalLM model, ITokenizer tokenizer, ChatTemplate template, DataSection data, Split split, int n, int k, long seed,
        int maxNewTokens = 192)
    {
        var greedy = SftRun.EvaluateTasks(model, tokenizer, template, data, split, n, maxNewTokens);
        var sampler = new SampledEvaluator(model, tokenizer, template, k, temperature: 1.0, maxNewTokens: maxNewTokens);
        var tasks = new Dictionary<string, TaskReadiness>(StringComparer.Ordinal);
        foreach (var entry in data.Tasks)
        {
            var items = TaskDataset.Create(entry.Task, split, data.Seed, n, entry.Config, entry.Level);
            tasks[entry.Task.Name] = new TaskReadiness(greedy[entry.Task.Name], sampler.Evaluate(items, entry.Task.Score, seed));
        }
        return new ReadinessReport(split.Name(), tasks);
    }

    public void Save(string directory) => AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Options) + "\n");
}

/// <summary>One task's readiness: greedy accuracy (with the collapse diagnostics) and the sampled figures.</summary>
public sealed record TaskReadiness(
    [property: JsonPropertyName("greedy")] EvaluationResult Greedy,
    [property: JsonPropertyName("sampled")] SampledResult Sampled)
{
    /// <summary>pass@k − greedy accuracy, in points: how much the reward has to select from.</summary>
    [JsonPropertyName("room_points")]
    public double RoomPoints => (Sampled.PassAtK - Greedy.Accuracy) * 100;

    public override string ToString() =>
        FormattableString.Invariant($"greedy {Greedy.Accuracy:P1}, {Sampled}; room {RoomPoints:0.0} points");
}
