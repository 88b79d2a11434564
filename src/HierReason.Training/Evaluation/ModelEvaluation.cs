using HierReason.Core.Results;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Experiments;
using HierReason.Training.Sft;

namespace HierReason.Training.Evaluation;

/// <summary>Greedy per-task accuracy of a model folder (HF layout, as <c>train</c> writes it) on an experiment's tasks.</summary>
public static class ModelEvaluation
{
    public static IReadOnlyDictionary<string, EvaluationResult> Evaluate(string folder, DataSection data, Split split, int n, string? device = null)
    {
        if (!File.Exists(Path.Combine(folder, "config.json")))
            throw new TrainingException($"{folder}: no model here (config.json missing); train the experiment first");
        var spec = DeviceSpec.Parse(device ?? "cpu", "float32");
        spec.EnsureAvailable();
        var tokenizer = TokenizerLoader.Load(folder);
        using var model = CheckpointLoader.Load(folder, spec);
        return SftRun.EvaluateTasks(model, tokenizer, ChatTemplates.ForModel(folder, tokenizer), data, split, n);
    }

    /// <summary>Per task: <paramref name="k"/> samples at T = 1 per item (pass@k, maj@k, one-sample accuracy).</summary>
    public static IReadOnlyDictionary<string, SampledResult> Sampled(string folder, DataSection data, Split split, int n, int k, string? device = null)
    {
        if (!File.Exists(Path.Combine(folder, "config.json")))
            throw new TrainingException($"{folder}: no model here (config.json missing); train the experiment first");
        var spec = DeviceSpec.Parse(device ?? "cpu", "float32");
        spec.EnsureAvailable();
        var tokenizer = TokenizerLoader.Load(folder);
        using var model = CheckpointLoader.Load(folder, spec);
        var evaluator = new SampledEvaluator(model, tokenizer, ChatTemplates.ForModel(folder, tokenizer), k);
        return data.Tasks.ToDictionary(entry => entry.Task.Name,
            entry => evaluator.Evaluate(TaskDataset.Create(entry.Task, split, data.Seed, n, entry.Config, entry.Level), entry.Task.Score, data.Seed),
            StringComparer.Ordinal);
    }
}
