using HierReason.Engine.Checkpoints;
using HierReason.Engine.Generation;
using HierReason.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Models;

public class DevicePlacementTests
{
    [Fact]
    public void Parameters_cache_and_outputs_stay_on_the_configured_device_through_generate_and_a_training_step()
    {
        // CPU is the only device here; the test pins the contract for any DeviceSpec.
        var spec = DeviceSpec.Parse("cpu", "float32");
        using var model = TinyModelFactory.Create(TestModels.Llama(), seed: 2, spec);
        var result = new TokenGenerator(model).Generate([[3, 4, 5]], new GenerationOptions { MaxNewTokens = 4, NumSamples = 2, Seed = 9 });
        Assert.Equal(2, result.Count);

        using var optimizer = optim.SGD(model.parameters(), 0.1);
        using (var scores = CompletionScorer.Score(model, result.Select(r => ((IReadOnlyList<int>)[3, 4, 5], r.TokenIds)).ToArray()))
        {
            Assert.Equal(spec.Type, scores.LogProbs.device_type);
            Assert.Equal(spec.Type, scores.Mask.device_type);
            using var loss = -scores.LogProbs.sum();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }

        Assert.All(model.parameters(), p => { Assert.Equal(spec.Type, p.device_type); Assert.Equal(spec.DType, p.dtype); });
        using var cache = model.CreateCache(1, 8);
        using var noGrad = no_grad();
        using var logits = model.Forward(tensor(new long[] { 3, 4 }, [1, 2], device: spec.Device), tensor(new long[] { 0, 1 }, [1, 2], device: spec.Device), cache);
        Assert.Equal(spec.Type, logits.device_type);
        Assert.All(cache.Tensors, t => { Assert.Equal(spec.Type, t.device_type); Assert.Equal(spec.DType, t.dtype); });
    }

    [Fact]
    public void Bfloat16_model_runs_and_keeps_its_dtype()
    {
        var spec = DeviceSpec.Parse("cpu", "bfloat16");
        using var model = TinyModelFactory.Create(TestModels.Llama(), seed: 2, spec);
        var result = new TokenGenerator(model).Generate([[3, 4, 5]], new GenerationOptions { MaxNewTokens = 3, Temperature = 0 });
        Assert.Equal(3, result[0].TokenIds.Count);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
    }
}
