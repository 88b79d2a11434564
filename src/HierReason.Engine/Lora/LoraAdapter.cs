using System.Text.Json;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HierReason.Engine.Lora;

/// <summary>
/// A LoRA adapter attached to a model's target projections: the base weights are frozen, the adapter can be
/// switched off (giving GRPO its reference model), merged, and saved or loaded in PEFT's layout.
/// </summary>
public sealed class LoraAdapter
{
    public const string ConfigFileName = "adapter_config.json";
    public const string WeightsFileName = "adapter_model.safetensors";
    // PEFT wraps the model twice (PeftModel → LoraModel), so saved keys carry this prefix before HF names.
    private const string PeftPrefix = "base_model.model.";

    private readonly IReadOnlyList<(string Name, LoraLinear Layer)> _layers;

    private LoraAdapter(LoraConfig config, IReadOnlyList<(string, LoraLinear)> layers)
    {
        Config = config;
        _layers = layers;
    }

    public LoraConfig Config { get; }

    /// <summary>Adapted projections by HF module name, e.g. <c>model.layers.0.self_attn.q_proj</c>.</summary>
    public IReadOnlyList<(string Name, LoraLinear Layer)> Layers => _layers;

    /// <summary>Attaches fresh adapters (A seeded, B zero) to every projection named in <see cref="LoraConfig.TargetModules"/> and freezes all base weights.</summary>
    public static LoraAdapter Attach(CausalLM model, LoraConfig config, long seed = 0)
    {
        config.Validate();
        var layers = Targets(model, config);
        if (layers.Count == 0) throw new EngineException($"LoRA: no module of the model matches target_modules [{string.Join(", ", config.TargetModules)}]");
        if (layers.Any(l => l.Layer.HasAdapter)) throw new EngineException("LoRA: the model already carries an adapter");

        foreach (var parameter in model.parameters()) parameter.requires_grad = false;
        using var generator = new Generator((ulong)seed, new Device(DeviceType.CPU));
        foreach (var (_, layer) in layers) layer.AttachAdapter(config.R, config.Alpha, config.Dropout, generator);
        return new LoraAdapter(config, layers);
    }

    private static List<(string Name, LoraLinear Layer)> Targets(CausalLM model, LoraConfig config) =>
        model.Projections().Where(p => config.TargetModules.Contains(p.Name[(p.Name.LastIndexOf('.') + 1)..])).ToList();

    /// <summary>The trainable parameters: every lora_A and lora_B weight.</summary>
    public IEnumerable<Parameter> Parameters() => _layers.SelectMany(l => new[] { l.Layer.LoraA, l.Layer.LoraB });

    /// <summary>Adapter parameters under their PEFT checkpoint keys.</summary>
    public IEnumerable<(string Key, Parameter Parameter)> NamedParameters() =>
        _layers.SelectMany(l => new[]
        {
            (PeftPrefix + l.Name + ".lora_A.weight", l.Layer.LoraA),
            (PeftPrefix + l.Name + ".lora_B.weight", l.Layer.LoraB),
        });

    /// <summary>Whether the adapters contribute; false gives exactly the base model's outputs.</summary>
    public bool Enabled
    {
        get => _layers.All(l => l.Layer.AdapterEnabled);
        set
        {
            if (!value && _layers.Any(l => l.Layer.Merged)) throw new InvalidOperationException("a merged adapter cannot be disabled; unmerge first");
            foreach (var (_, layer) in _layers) layer.AdapterEnabled = value;
        }
    }

    /// <summary>Disables the adapters until the returned scope is disposed: <c>using (adapter.Disable()) reference = Score(...)</c>.</summary>
    public IDisposable Disable()
    {
        var previous = Enabled;
        Enabled = false;
        return new Restore(() => Enabled = previous);
    }

    /// <summary>Folds every adapter into its base weight (then save the model with <see cref="CheckpointSaver"/>).</summary>
    public void Merge()
    {
        foreach (var (_, layer) in _layers) layer.Merge();
    }

    public void Unmerge()
    {
        foreach (var (_, layer) in _layers) layer.Unmerge();
    }

    /// <summary>Writes <c>adapter_config.json</c> and <c>adapter_model.safetensors</c> (PEFT layout) into <paramref name="directory"/>.</summary>
    public void Save(string directory, ScalarType? dtype = null)
    {
        Directory.CreateDirectory(directory);
        SafeTensorsWriter.Write(Path.Combine(directory, WeightsFileName),
            NamedParameters().Select(p => (p.Key, (Tensor)p.Parameter)).ToList(), dtype);
        IO.JsonFiles.WriteAtomic(Path.Combine(directory, ConfigFileName), Config.ToJson());
    }

    /// <summary>Reads a PEFT adapter directory, attaches it to <paramref name="model"/> and loads its weights; every key and shape is checked.</summary>
    public static LoraAdapter Load(CausalLM model, string directory)
    {
        var config = LoraConfig.Load(Path.Combine(directory, ConfigFileName));
        var weightsPath = Path.Combine(directory, WeightsFileName);
        using var file = SafeTensorsFile.Open(weightsPath);
        // Check every key and shape before attaching, so a bad adapter leaves the model untouched.
        var shapes = Targets(model, config).SelectMany(t => new[]
        {
            (Key: PeftPrefix + t.Name + ".lora_A.weight", Shape: new[] { config.R, t.Layer.InFeatures }),
            (Key: PeftPrefix + t.Name + ".lora_B.weight", Shape: new[] { t.Layer.OutFeatures, config.R }),
        }).ToList();
        foreach (var (key, shape) in shapes)
        {
            if (!file.Tensors.TryGetValue(key, out var info)) throw new EngineException($"{weightsPath}: {key}: missing from the adapter");
            if (!info.Shape.SequenceEqual(shape))
                throw new EngineException($"{weightsPath}: {key}: expected [{string.Join(", ", shape)}], found [{string.Join(", ", info.Shape)}]");
        }
        var known = shapes.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var unexpected = file.Tensors.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).FirstOrDefault();
        if (unexpected is not null) throw new EngineException($"{weightsPath}: unexpected tensor {unexpected} (adapter for a different model or config?)");

        // Read (and check for NaN/infinity) before attaching, for the same reason.
        var loaded = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (key, _) in shapes) loaded[key] = file.ReadFinite(key);
            var adapter = Attach(model, config);
            using var noGrad = no_grad();
            foreach (var (key, parameter) in adapter.NamedParameters()) parameter.copy_(loaded[key]);
            return adapter;
        }
        finally
        {
            foreach (var tensor in loaded.Values) tensor.Dispose();
        }
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
