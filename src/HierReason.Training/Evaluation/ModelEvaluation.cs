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
}
