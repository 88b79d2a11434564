using HierReason.Engine;
using HierReason.Engine.Inference;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;

namespace HierReason.Backends.Serving;

/// <summary>One model id the server answers to: the base weights, or a copy of them carrying one LoRA adapter.</summary>
internal sealed record ServedModel(string Name, LocalModel Local, string? AdapterDir);

/// <summary>
/// The base model and every LoRA module, loaded once. An adapter is attached to its own copy of the base weights, so
/// batches for different ids never switch adapters mid-flight (memory grows by one base model per adapter).
/// </summary>
internal sealed class ServedModels : IDisposable
{
    private readonly Dictionary<string, ServedModel> _byName = new(StringComparer.Ordinal);

    private ServedModels() { }

    public IReadOnlyList<string> Names => _byName.Keys.ToArray();

    public IEnumerable<ServedModel> All => _byName.Values;

    public ServedModel? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Loads the base model and each adapter; a bad folder throws <see cref="EngineException"/> naming it.</summary>
    public static ServedModels Load(ServeOptions options)
    {
        if (!Directory.Exists(options.ModelDir)) throw new EngineException($"serve: model folder '{options.ModelDir}' does not exist");
        var baseName = options.ServedModelName ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.ModelDir)));
        var device = DeviceSpec.Parse(options.Device, options.DType ?? "float32");
        var models = new ServedModels();
        try
        {
            models._byName[baseName] = new ServedModel(baseName, LocalModel.Load(options.ModelDir, device), null);
            foreach (var (name, dir) in options.Loras)
            {
                if (models._byName.ContainsKey(name)) throw new EngineException($"serve: --lora {name}: the name is already served");
                if (!File.Exists(Path.Combine(dir, LoraAdapter.ConfigFileName)))
                    throw new EngineException($"serve: --lora {name}={dir}: no {LoraAdapter.ConfigFileName} in that folder");
                var local = LocalModel.Load(options.ModelDir, device);
                models._byName[name] = new ServedModel(name, local, dir);
                LoraAdapter.Load(local.Model, dir);
            }
            return models;
        }
        catch
        {
            models.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var model in _byName.Values) model.Local.Dispose();
        _byName.Clear();
    }
}
