using HierReason.Engine.Checkpoints;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Optim;

namespace HierReason.Training.Checkpoints;

/// <summary>
/// What a trainer's checkpoint folder holds, for SFT and GRPO alike: the weights (HF layout) or, with LoRA, only the
/// adapter (PEFT layout), the byte tokenizer's files, the optimiser state and <c>trainer_state.json</c>.
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>The optimiser state's file name inside a checkpoint folder.</summary>
    public const string OptimizerFileName = "optimizer.bin";

    /// <summary>Writes everything into <paramref name="directory"/> (the store's temporary folder, renamed afterwards).</summary>
    public static void Write(string directory, CausalLM model, LoraAdapter? adapter, ITokenizer tokenizer, TrainingOptimizer optimizer, TrainerState state)
    {
        // The model part is what the run's final folder holds (the byte tokenizer's files included; BPE files are not
        // needed to resume, the run rebuilds its tokenizer from the source folder).
        Runs.RunOutput.SaveModel(directory, model, adapter, tokenizer, sourceModel: null);
        optimizer.Save(Path.Combine(directory, OptimizerFileName));
        state.Save(directory);
    }

    /// <summary>Loads weights (or the adapter) and the optimiser state back; returns the trainer state for the caller's counters.</summary>
    public static TrainerState Read(string directory, CausalLM model, LoraAdapter? adapter, TrainingOptimizer optimizer)
    {
        var state = TrainerState.Load(directory);
        if (adapter is null) CheckpointLoader.LoadWeights(model, CheckpointFiles.Locate(directory));
        else LoraWeights.Load(adapter, directory);
        optimizer.Load(Path.Combine(directory, OptimizerFileName));
        return state;
    }
}
