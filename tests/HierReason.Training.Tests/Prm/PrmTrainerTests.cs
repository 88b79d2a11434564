using HierReason.Engine.Checkpoints;
using HierReason.Engine.Models;
using HierReason.Engine.Prm;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Prm;
using Xunit;
using Xunit.Abstractions;

namespace HierReason.Training.Tests.Prm;

public sealed class PrmTrainerTests(ITestOutputHelper output)
{
    private static readonly ByteTokenizer Tokenizer = new();
    private static readonly string[] Words = ["add", "carry", "sum", "7", "12", "total", "next", "so", "get", "3"];

    private static ModelConfig Config => ModelConfig.Tiny(Tokenizer.VocabSize, null, Tokenizer.EosIds) with
    {
        HiddenSize = 32,
        IntermediateSize = 64,
        NumHiddenLayers = 2,
        NumAttentionHeads = 2,
        NumKeyValueHeads = 1,
        HeadDim = 16,
    };

    // A step is bad exactly when it contains "wrong"; earlier steps may contain it too, so the head must look at its own step.
    // With soft labels a bad step is 0.1 and a good one 0.9 (a noisy Monte-Carlo estimate rather than a verdict).
    internal static IReadOnlyList<StepwiseExample> Synthetic(int count, int seed, bool soft = false)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var steps = new List<string>();
            var labels = new List<double>();
            for (var t = random.Next(2, 5); t > 0; t--)
            {
                var words = Enumerable.Range(0, random.Next(2, 4)).Select(_ => Words[random.Next(Words.Length)]).ToList();
                var bad = random.NextDouble() < 0.35;
                if (bad) words.Insert(random.Next(words.Count + 1), "wrong");
                steps.Add(string.Join(' ', words));
                labels.Add(soft ? (bad ? 0.1 : 0.9) : bad ? 0 : 1);
            }
            return new StepwiseExample($"Q{i}:\n", steps, labels);
        }).ToList();
    }

    private static string CausalLmFolder(string root, long seed)
    {
        var dir = Path.Combine(root, "lm");
        using var lm = TinyModelFactory.Create(Config, seed);
        CheckpointSaver.Save(lm, dir);
        Tokenizer.Save(dir);
        return dir;
    }

    [Fact]
    public void Held_out_split_is_seeded_and_disjoint()
    {
        var data = Synthetic(20, 1);
        var (train, heldOut) = PrmTrainer.Split(data, 0.1, seed: 3);
        var (_, again) = PrmTrainer.Split(data, 0.1, seed: 3);
        Assert.Equal(18, train.Count);
        Assert.Equal(2, heldOut.Count);
        Assert.Equal(heldOut, again);
        Assert.Empty(train.Intersect(heldOut));
        Assert.Empty(PrmTrainer.Split(data, 0, seed: 3).HeldOut);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_random_tiny_model_learns_which_steps_say_wrong(bool softLabels)
    {
        var root = Path.Combine(Path.GetTempPath(), "hr-prm-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var data = Synthetic(400, 7, softLabels);
            var settings = new PrmTrainSettings { LearningRate = 3e-3, Epochs = 2, BatchSize = 4, HeldOut = 0.1, Seed = 1, LogEvery = 20 };
            var (train, heldOut) = PrmTrainer.Split(data, settings.HeldOut, settings.Seed);
            using var model = PrmCheckpoint.FromCausalLM(CausalLmFolder(root, 3), settings.Seed);
            var trainer = new PrmTrainer(model, Tokenizer, settings);

            var result = trainer.Train(train, p => output.WriteLine($"step {p.Step}/{p.TotalSteps} loss {p.Loss:0.000}"));
            var after = trainer.Evaluate(heldOut)!;

            output.WriteLine($"{result.Losses.Count} steps, {result.Seconds:0.0}s; held out: {after.Describe()}");
            Assert.True(after.Accuracy > 0.9, after.Describe());
            Assert.True(after.Auc > 0.95, after.Describe());
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}
