using HierReason.Engine.Checkpoints;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Prm;

/// <summary>
/// A PRM in HF layout: config.json (<c>*ForTokenClassification</c>, <c>num_labels</c>, <c>id2label</c>), model.safetensors with
/// the trunk under its causal-LM names (<c>model.…</c>) and the head as <c>score.weight</c>/<c>score.bias</c>, and the tokenizer files.
/// </summary>
public static class PrmCheckpoint
{
    private static readonly string[] TokenizerFileNames =
    [
        TokenizerFiles.TokenizerJson, TokenizerFiles.TokenizerConfig, TokenizerFiles.GenerationConfig,
        TokenizerFiles.VocabJson, TokenizerFiles.MergesTxt, "special_tokens_map.json",
    ];

    /// <summary>Writes <paramref name="model"/> into <paramref name="directory"/> and copies the tokenizer files found in <paramref name="tokenizerSource"/>.</summary>
    public static void Save(ProcessRewardModel model, string directory, string? tokenizerSource)
    {
        Directory.CreateDirectory(directory);
        var tensors = model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();
        SafeTensorsWriter.WriteCheckpoint(directory, tensors, model.Spec.DType);
        (model.Config with { Body = model.Config.Body with { TorchDtype = DeviceSpec.DTypeName(model.Spec.DType) } }).Save(directory);
        if (tokenizerSource is null) return;
        foreach (var name in TokenizerFileNames)
        {
            var source = Path.Combine(tokenizerSource, name);
            if (File.Exists(source)) File.Copy(source, Path.Combine(directory, name), overwrite: true);
        }
    }

    /// <summary>Loads a PRM saved by <see cref="Save"/> (or by transformers' token-classification models), every weight by name.</summary>
    public static ProcessRewardModel Load(string directory, DeviceSpec? device = null)
    {
        var spec = device ?? DeviceSpec.Cpu;
        spec.EnsureAvailable();
        var configFile = Path.Combine(directory, "config.json");
        var config = PrmConfig.Load(configFile);
        var files = CheckpointFiles.Locate(directory);
        ModelMemory.EnsureFits(config.Body, spec, configFile);
        var model = new ProcessRewardModel(config, spec);
        try
        {
            CheckpointLoader.LoadNamed(model.named_parameters().ToList(), files, name => name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal), $"a {config.Architecture} of this config");
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A PRM whose trunk is the causal LM in <paramref name="causalLmDirectory"/> (its <c>lm_head</c> dropped) and whose head is
    /// new: weights N(0, 0.02) drawn from <paramref name="seed"/>, biases 0 (transformers' initialisation of <c>score</c>).
    /// </summary>
    public static ProcessRewardModel FromCausalLM(string causalLmDirectory, long seed, int numLabels = 2, DeviceSpec? device = null)
    {
        var spec = device ?? DeviceSpec.Cpu;
        spec.EnsureAvailable();
        var configFile = Path.Combine(causalLmDirectory, "config.json");
        var body = ModelConfig.Load(configFile);
        var files = CheckpointFiles.Locate(causalLmDirectory);
        ModelMemory.EnsureFits(body, spec, configFile);
        var model = new ProcessRewardModel(PrmConfig.For(body, numLabels), spec);
        try
        {
            var trunk = model.named_parameters().Where(p => p.name.StartsWith("model.", StringComparison.Ordinal)).ToList();
            CheckpointLoader.LoadNamed(trunk, files, name => name == "lm_head.weight" || CheckpointLoader.IsIgnorable(name, body), $"the trunk of a {body.ModelType} model of this config");
            InitializeHead(model, seed);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Redraws the head from <paramref name="seed"/> on the CPU, so it is the same on every device.</summary>
    public static void InitializeHead(ProcessRewardModel model, long seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed, new Device(DeviceType.CPU));
        foreach (var (name, parameter) in model.named_parameters().Where(p => p.name.StartsWith("score.", StringComparison.Ordinal)).OrderBy(p => p.name, StringComparer.Ordinal))
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal)) parameter.zero_();
            else parameter.copy_(empty(parameter.shape, dtype: ScalarType.Float32).normal_(0.0, 0.02, generator));
        }
    }
}
