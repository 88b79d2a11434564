using System.Globalization;
using System.Text.Json.Nodes;
using HierReason.Engine;
using HierReason.Engine.Chat;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.IO;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;

namespace HierReason.Cli.Commands;

/// <summary>What <c>hierreason model info</c> reports about a model folder, read from its files without building the model.</summary>
public sealed record ModelSummary
{
    public const string None = "none";

    public required string Directory { get; init; }
    public required string ModelType { get; init; }
    public required IReadOnlyList<string> Architectures { get; init; }
    /// <summary>Parameters the config implies (what the engine builds), lm_head excluded when tied.</summary>
    public required long Parameters { get; init; }
    /// <summary>Elements of the tensors the checkpoint stores, or null when it holds no weights.</summary>
    public required long? StoredParameters { get; init; }
    public required int Layers { get; init; }
    public required int HiddenSize { get; init; }
    public required int AttentionHeads { get; init; }
    public required int KvHeads { get; init; }
    public required int HeadDim { get; init; }
    public required int IntermediateSize { get; init; }
    public required int VocabSize { get; init; }
    /// <summary>The stored weights' type ("float32", "bfloat16", …; comma-separated when mixed), or "none".</summary>
    public required string WeightsDtype { get; init; }
    public required IReadOnlyList<string> WeightFiles { get; init; }
    public required bool TiedEmbeddings { get; init; }
    /// <summary>"byte", "byte-level-bpe", or "none" when the folder holds no tokenizer.</summary>
    public required string Tokenizer { get; init; }
    public required string ChatTemplate { get; init; }
    public required int MaxContext { get; init; }
    /// <summary>Where the stored tensors disagree with config.json (missing, misshapen, unexpected), one line each; empty when they fit.</summary>
    public required IReadOnlyList<string> Mismatches { get; init; }

    /// <summary>Reads <paramref name="directory"/>; a missing folder or config.json is an <see cref="EngineException"/> naming it.</summary>
    public static ModelSummary Read(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) throw new EngineException($"{directory}: model folder not found");
        var configPath = Path.Combine(directory, "config.json");
        var config = ModelConfig.Load(configPath);
        var (storedDtype, stored, files, mismatches) = ReadWeights(directory, config);
        var tokenizer = ReadTokenizer(directory);
        return new ModelSummary
        {
            Directory = directory,
            ModelType = config.ModelType,
            Architectures = ReadArchitectures(configPath, config),
            Parameters = ParameterCount(config),
            StoredParameters = stored,
            Layers = config.NumHiddenLayers,
            HiddenSize = config.HiddenSize,
            AttentionHeads = config.NumAttentionHeads,
            KvHeads = config.NumKeyValueHeads,
            HeadDim = config.HeadDim,
            IntermediateSize = config.IntermediateSize,
            VocabSize = config.VocabSize,
            WeightsDtype = storedDtype,
            WeightFiles = files,
            TiedEmbeddings = config.TieWordEmbeddings,
            Tokenizer = tokenizer switch
            {
                null => None,
                ByteTokenizer => "byte",
                ByteLevelBpeTokenizer => "byte-level-bpe",
                _ => tokenizer.GetType().Name,
            },
            ChatTemplate = tokenizer is null ? None : ChatTemplates.ForModel(directory, tokenizer).Name,
            MaxContext = config.MaxPositionEmbeddings,
            Mismatches = mismatches,
        };
    }

    /// <summary>The parameters a <see cref="CausalLM"/> of <paramref name="config"/> holds (no LoRA factors).</summary>
    public static long ParameterCount(ModelConfig config) => config.ParameterCount();

    /// <summary>Aligned "key: value" lines for a terminal.</summary>
    public IEnumerable<string> Lines()
    {
        static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        (string Key, string Value)[] rows =
        [
            ("folder", Directory),
            ("architecture", $"{ModelType} ({string.Join(", ", Architectures)})"),
            ("parameters", N(Parameters) + (StoredParameters is { } s && s != Parameters ? $" (checkpoint stores {N(s)})" : "")),
            ("layers", Layers.ToString(CultureInfo.InvariantCulture)),
            ("hidden size", HiddenSize.ToString(CultureInfo.InvariantCulture)),
            ("attention heads", $"{AttentionHeads} ({KvHeads} key/value, head dim {HeadDim})"),
            ("intermediate size", IntermediateSize.ToString(CultureInfo.InvariantCulture)),
            ("vocabulary", VocabSize.ToString(CultureInfo.InvariantCulture)),
            ("weights", WeightFiles.Count == 0 ? None : $"{WeightsDtype} in {string.Join(", ", WeightFiles)}"),
            ("tied embeddings", TiedEmbeddings ? "yes" : "no"),
            ("tokenizer", Tokenizer),
            ("chat template", ChatTemplate),
            ("max context", MaxContext.ToString(CultureInfo.InvariantCulture)),
        ];
        var width = rows.Max(r => r.Key.Length) + 1;
        return rows.Select(r => (r.Key + ":").PadRight(width + 1) + r.Value);
    }

    private static IReadOnlyList<string> ReadArchitectures(string configPath, ModelConfig config)
    {
        // ModelConfig.Load has validated the file; architectures is informational, so a missing list falls back to the family's.
        if (JsonNode.Parse(ModelFileText.Read(configPath))?["architectures"] is JsonArray list
            && list.All(n => n is JsonValue v && v.TryGetValue<string>(out _)))
            return list.Select(n => n!.GetValue<string>()).ToArray();
        return config.ToJson()["architectures"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
    }

    private static (string Dtype, long? Stored, IReadOnlyList<string> Files, IReadOnlyList<string> Mismatches) ReadWeights(string directory, ModelConfig config)
    {
        var hasWeights = File.Exists(Path.Combine(directory, SafeTensorsWriter.SingleFileName))
                         || File.Exists(Path.Combine(directory, SafeTensorsWriter.IndexFileName));
        if (!hasWeights) return (None, null, [], []);
        var located = CheckpointFiles.Locate(directory);
        var mismatches = CheckpointLoader.Mismatches(config, located);
        var dtypes = new SortedSet<string>(StringComparer.Ordinal);
        long stored = 0;
        var paths = located.WeightFileByName.Values.Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var path in paths)
        {
            using var file = SafeTensorsFile.Open(path);
            foreach (var info in file.Tensors.Values)
            {
                // Older checkpoints store RoPE frequencies; they are a cache, not parameters.
                if (info.Name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal)) continue;
                stored += info.ElementCount;
                dtypes.Add(DtypeName(info.DType));
            }
        }
        return (dtypes.Count == 0 ? None : string.Join(", ", dtypes), stored, paths.Select(p => Path.GetFileName(p)!).ToArray(), mismatches);
    }

    private static string DtypeName(string safetensorsDtype) =>
        SafeTensorDType.Lookup(safetensorsDtype)?.Type switch
        {
            TorchSharp.torch.ScalarType.Float32 => "float32",
            TorchSharp.torch.ScalarType.BFloat16 => "bfloat16",
            TorchSharp.torch.ScalarType.Float16 => "float16",
            TorchSharp.torch.ScalarType.Float64 => "float64",
            _ => safetensorsDtype,
        };

    private static ITokenizer? ReadTokenizer(string directory)
    {
        try
        {
            return TokenizerLoader.Load(directory);
        }
        catch (EngineException) when (!HasTokenizerFiles(directory))
        {
            // A weights-only folder (or a config without a tokenizer class) has no tokenizer; broken tokenizer files stay errors.
            return null;
        }
    }

    private static bool HasTokenizerFiles(string directory)
    {
        var config = Path.Combine(directory, TokenizerFiles.TokenizerConfig);
        return File.Exists(Path.Combine(directory, TokenizerFiles.TokenizerJson))
               || File.Exists(Path.Combine(directory, TokenizerFiles.VocabJson))
               || File.Exists(Path.Combine(directory, TokenizerFiles.MergesTxt))
               || (ModelFileText.Exists(config) && (!ModelFileText.IsRegularFile(config)
                   || ModelFileText.Read(config).Contains(ByteTokenizer.TokenizerClass, StringComparison.Ordinal)));
    }
}
