using HierReason.Engine.Checkpoints;
using HierReason.Engine.Models;

namespace HierReason.Engine.Tests;

/// <summary>Small random configs so engine tests stay fast.</summary>
internal static class TestModels
{
    public static ModelConfig Llama(int vocab = 61) => new()
    {
        ModelType = "llama",
        VocabSize = vocab,
        HiddenSize = 32,
        IntermediateSize = 48,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = 8,
        RmsNormEps = 1e-5,
        MaxPositionEmbeddings = 128,
        TieWordEmbeddings = true,
        EosTokenIds = [1],
    };

    public static ModelConfig Qwen2(int vocab = 61) => Llama(vocab) with
    {
        ModelType = "qwen2",
        TieWordEmbeddings = false,
        QkvBias = true,
        RopeTheta = 1000000.0,
    };

    public static CausalLM Create(ModelConfig config, long seed = 7) => TinyModelFactory.Create(config, seed);

    private static readonly List<string> Scratch = [];

    static TestModels() => AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteScratch();

    /// <summary>A scratch folder deleted when the test process exits (tests that need it gone sooner use <see cref="Tests.TempDir"/>).</summary>
    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hr-engine-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        lock (Scratch) Scratch.Add(dir);
        return dir;
    }

    private static void DeleteScratch()
    {
        lock (Scratch)
            foreach (var dir in Scratch)
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
