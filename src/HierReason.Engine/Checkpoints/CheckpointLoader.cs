using HierReason.Engine.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HierReason.Engine.Checkpoints;

/// <summary>Loads a HF checkpoint directory (config.json + safetensors, single or sharded) into a <see cref="CausalLM"/>, name for name.</summary>
public static class CheckpointLoader
{
    /// <summary>Reads <c>config.json</c>, builds the model on <paramref name="device"/> (default CPU float32) and loads every weight.</summary>
    public static CausalLM Load(string directory, DeviceSpec? device = null)
    {
        var spec = device ?? DeviceSpec.Cpu;
        spec.EnsureAvailable();
        var configFile = Path.Combine(directory, "config.json");
        var config = ModelConfig.Load(configFile);
        var files = CheckpointFiles.Locate(directory);
        ModelMemory.EnsureFits(config, spec, configFile);
        var model = new CausalLM(config, spec);
        try
        {
            LoadWeights(model, files);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies every base weight of <paramref name="model"/> from <paramref name="files"/>, converting dtype.
    /// All names and shapes are checked from the headers before any data is read, and the first problem is reported by name.
    /// </summary>
    public static void LoadWeights(CausalLM model, CheckpointFiles files)
    {
        var expected = model.named_parameters()
            .Where(p => !p.name.Contains("lora_", StringComparison.Ordinal))
            .ToList();
        LoadNamed(expected, files, k => IsIgnorable(k, model.Config), $"a {model.Config.ModelType} model of this config");
    }

    /// <summary>
    /// Copies each of <paramref name="expected"/> from the tensor of the same name in <paramref name="files"/>; a stored tensor
    /// that is neither expected nor <paramref name="ignorable"/> is an error naming <paramref name="target"/>.
    /// </summary>
    internal static void LoadNamed(IReadOnlyList<(string name, Parameter parameter)> expected, CheckpointFiles files, Func<string, bool> ignorable, string target)
    {
        var opened = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
        try
        {
            SafeTensorsFile FileFor(string name)
            {
                var path = files.WeightFileByName[name];
                if (!opened.TryGetValue(path, out var file)) opened[path] = file = SafeTensorsFile.Open(path);
                return file;
            }

            foreach (var (name, parameter) in expected)
            {
                if (!files.WeightFileByName.ContainsKey(name))
                    throw new EngineException($"{files.Directory}: {name}: missing from the checkpoint");
                var info = FileFor(name).Tensors.TryGetValue(name, out var i) ? i
                    : throw new EngineException($"{files.Directory}: {name}: listed in the index but absent from {Path.GetFileName(files.WeightFileByName[name])}");
                if (!info.Shape.SequenceEqual(parameter.shape))
                    throw new EngineException($"{files.Directory}: {name}: expected [{string.Join(", ", parameter.shape)}], found [{string.Join(", ", info.Shape)}]");
                if (SafeTensorDType.Lookup(info.DType)?.Type is not (ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float64))
                    throw new EngineException($"{files.Directory}: {name}: dtype {info.DType} is not a floating-point type this engine loads");
            }
            var known = expected.Select(p => p.name).ToHashSet(StringComparer.Ordinal);
            var unexpected = files.WeightFileByName.Keys
                .Where(k => !known.Contains(k) && !ignorable(k))
                .OrderBy(k => k, StringComparer.Ordinal)
                .ToList();
            if (unexpected.Count > 0)
                throw new EngineException($"{files.Directory}: unexpected tensor(s) for {target}: {string.Join(", ", unexpected.Take(5))}{(unexpected.Count > 5 ? $" (+{unexpected.Count - 5} more)" : "")}");

            using var noGrad = no_grad();
            foreach (var (name, parameter) in expected)
            {
                using var loaded = FileFor(name).ReadFinite(name, parameter.device, parameter.dtype);
                parameter.copy_(loaded);
            }
        }
        finally
        {
            foreach (var file in opened.Values) file.Dispose();
        }
    }

    /// <summary>
    /// Every way the stored tensors of <paramref name="files"/> disagree with what <paramref name="config"/> builds — a missing
    /// tensor, a shape other than config.json implies, a tensor the model has no place for, a non-float dtype — one line each,
    /// read from the headers alone (nothing is allocated). Empty when the checkpoint fits.
    /// </summary>
    public static IReadOnlyList<string> Mismatches(ModelConfig config, CheckpointFiles files)
    {
        var problems = new List<string>();
        var opened = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
        try
        {
            var expected = config.ParameterShapes();
            foreach (var (name, shape) in expected)
            {
                if (!files.WeightFileByName.TryGetValue(name, out var path))
                {
                    problems.Add($"{files.Directory}: tensor '{name}': expected [{string.Join(", ", shape)}] from config.json; missing from the checkpoint");
                    continue;
                }
                if (!opened.TryGetValue(path, out var file)) opened[path] = file = SafeTensorsFile.Open(path);
                if (!file.Tensors.TryGetValue(name, out var info))
                    problems.Add($"{path}: tensor '{name}': listed in the index but absent from the file");
                else if (!info.Shape.SequenceEqual(shape))
                    problems.Add($"{path}: tensor '{name}': expected [{string.Join(", ", shape)}] from config.json; found [{string.Join(", ", info.Shape)}]");
                else if (SafeTensorDType.Lookup(info.DType)?.Type is not (ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float64))
                    problems.Add($"{path}: tensor '{name}': expected a floating-point dtype; found {info.DType}");
            }
            var known = expected.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, path) in files.WeightFileByName.OrderBy(e => e.Key, StringComparer.Ordinal))
                if (!known.Contains(name) && !IsIgnorable(name, config))
                    problems.Add($"{path}: tensor '{name}': not a parameter of a {config.ModelType} model with this config.json");
        }
        finally
        {
            foreach (var file in opened.Values) file.Dispose();
        }
        return problems;
    }

    // HF checkpoints of older versions store the RoPE frequencies; tied models sometimes still carry lm_head.
    internal static bool IsIgnorable(string name, ModelConfig config) =>
        name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal)
        || (config.TieWordEmbeddings && name == "lm_head.weight");
}
