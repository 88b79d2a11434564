using HierReason.Engine.Checkpoints;
using HierReason.Engine.Lora;
using static TorchSharp.torch;

namespace HierReason.Training.Checkpoints;

/// <summary>Loads a checkpoint's adapter weights (PEFT layout) into an attached adapter, in place.</summary>
internal static class LoraWeights
{
    public static void Load(LoraAdapter adapter, string directory)
    {
        var path = Path.Combine(directory, LoraAdapter.WeightsFileName);
        using var file = SafeTensorsFile.Open(path);
        using var noGrad = no_grad();
        foreach (var (key, parameter) in adapter.NamedParameters())
        {
            if (!file.Tensors.ContainsKey(key)) throw new TrainingException($"{path}: {key}: missing from the adapter checkpoint");
            using var loaded = file.ReadFinite(key, parameter.device, parameter.dtype);
            parameter.copy_(loaded);
        }
    }
}
