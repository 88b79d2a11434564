using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Experiments;

namespace HierReason.Training.Tests.Sft;

/// <summary>A very small model and data set so SFT tests run in seconds on one thread.</summary>
internal static class TinyRun
{
    public static readonly ByteTokenizer Tokenizer = new();
    public static readonly ChatTemplate Template = new ChatMLTemplate();

    public static ModelConfig Config => ModelConfig.Tiny(Tokenizer.VocabSize, null, Tokenizer.EosIds) with
    {
        HiddenSize = 32,
        IntermediateSize = 64,
        NumHiddenLayers = 1,
        NumAttentionHeads = 2,
        NumKeyValueHeads = 1,
        HeadDim = 16,
    };

    public static CausalLM Model(long seed = 0) => TinyModelFactory.Create(Config, seed);

    public static IReadOnlyList<TaskItem> Items(int n, int level = 0) =>
        TaskDataset.Create(TaskRegistry.Default.Get("chain_sum"), Split.Train, 0, n, level: level).ToList();

    public static SftSection Settings(int steps, int batch = 2, int accum = 1, double lr = 3e-3) =>
        new(steps, batch, accum, lr, WarmupSteps: 2, WeightDecay: 0.01, MaxGradNorm: 1.0, MaxSeqLen: 256);
}
