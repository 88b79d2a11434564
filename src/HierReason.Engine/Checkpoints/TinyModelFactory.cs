using HierReason.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Checkpoints;

/// <summary>Creates freshly initialised models (the embedded tiny model or any config), identically for a given seed on every device.</summary>
public static class TinyModelFactory
{
    /// <summary>The embedded tiny model (<see cref="ModelConfig.Tiny"/>), initialised from <paramref name="seed"/>.</summary>
    public static CausalLM Create(long seed, int vocabSize, DeviceSpec? device = null, int? bosTokenId = null, IReadOnlyList<int>? eosTokenIds = null) =>
        Create(ModelConfig.Tiny(vocabSize, bosTokenId, eosTokenIds), seed, device);

    /// <summary>A model of any config with GPT-style init: weights N(0, 0.02), biases 0, norm scales 1.</summary>
    public static CausalLM Create(ModelConfig config, long seed, DeviceSpec? device = null)
    {
        var model = new CausalLM(config, device ?? DeviceSpec.Cpu);
        Initialize(model, seed);
        return model;
    }

    /// <summary>Re-initialises every parameter; values are drawn on the CPU in name order so they do not depend on the device.</summary>
    public static void Initialize(CausalLM model, long seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed, new Device(DeviceType.CPU));
        foreach (var (name, parameter) in model.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal))
        {
            if (name.Contains("lora_", StringComparison.Ordinal)) continue;
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) parameter.fill_(1.0);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) parameter.zero_();
            else
            {
                var values = empty(parameter.shape, dtype: ScalarType.Float32).normal_(0.0, 0.02, generator);
                parameter.copy_(values);
            }
        }
    }
}
