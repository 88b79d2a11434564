using System.Security.Cryptography;
using HierReason.Core;
using HierReason.Training.Experiments;
using HierReason.Training.Optim;

namespace HierReason.Training.Checkpoints;

/// <summary>
/// <c>model.optimizer_state: "from_model"</c>: the AdamW moments a source model's own training ended with, read from its
/// newest checkpoint, provided that checkpoint holds exactly the model's final weights (otherwise the moments would belong
/// to other weights).
/// </summary>
public static class SourceOptimizerState
{
    /// <summary>Loads the moments into <paramref name="optimizer"/> when the experiment asks for them; a fresh start otherwise.</summary>
    public static void Apply(ExperimentConfig config, TrainingOptimizer optimizer)
    {
        if (!config.Model.OptimizerStateFromModel) return;
        var file = config.FileOf("$.model.optimizer_state");
        if (optimizer.Kind != OptimizerKind.AdamW)
            throw new ConfigException(file, "$.model.optimizer_state", "\"fresh\" with \"optimizer\": \"sgd\" (the source model's state is AdamW's)", "\"from_model\"");
        optimizer.Load(Find(config.Model.Path!, file));
    }

    /// <summary>The optimizer file of the checkpoint of <paramref name="modelFolder"/> whose weights are the folder's own.</summary>
    public static string Find(string modelFolder, string file)
    {
        var weights = Path.Combine(modelFolder, "model.safetensors");
        var latest = new CheckpointStore(modelFolder, 1).Latest();
        var state = latest is null ? null : Path.Combine(latest, TrainingCheckpoint.OptimizerFileName);
        if (state is null || !File.Exists(state) || !File.Exists(weights))
            throw new ConfigException(file, "$.model.optimizer_state",
                "a source model whose training kept a checkpoint with optimizer.bin (train it with checkpoint.every dividing its steps), or \"fresh\"",
                $"none in {modelFolder}");
        if (!Hash(weights).AsSpan().SequenceEqual(Hash(Path.Combine(latest!, "model.safetensors"))))
            throw new ConfigException(file, "$.model.optimizer_state",
                $"a checkpoint at the source model's final step (its weights equal model.safetensors; let checkpoint.every divide its steps), or \"fresh\"",
                $"{Path.GetFileName(latest)} holding other weights");
        return state;
    }

    private static byte[] Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return SHA256.HashData(stream);
    }
}
