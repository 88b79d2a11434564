using HierReason.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Checkpoints;

/// <summary>Saves a <see cref="CausalLM"/> in HF layout: <c>config.json</c> + <c>model.safetensors</c> (or shards with an index).</summary>
public static class CheckpointSaver
{
    /// <summary>
    /// Writes the base weights (LoRA factors excluded; merge first to bake them in) in <paramref name="dtype"/>
    /// (default: the model's) and a config.json whose <c>torch_dtype</c> says so.
    /// </summary>
    public static void Save(CausalLM model, string directory, ScalarType? dtype = null, long maxShardBytes = long.MaxValue)
    {
        var type = dtype ?? model.DType;
        var tensors = model.named_parameters()
            .Where(p => !p.name.Contains("lora_", StringComparison.Ordinal))
            .Select(p => (p.name, (Tensor)p.parameter))
            .ToList();
        SafeTensorsWriter.WriteCheckpoint(directory, tensors, type, maxShardBytes);
        (model.Config with { TorchDtype = DeviceSpec.DTypeName(type) }).Save(directory);
    }
}
