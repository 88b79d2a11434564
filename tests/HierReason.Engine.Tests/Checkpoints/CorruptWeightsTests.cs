using HierReason.Engine.Checkpoints;
using HierReason.Engine.Inference;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;

namespace HierReason.Engine.Tests.Checkpoints;

/// <summary>NaN or bit-flipped weights are refused at load, naming the file and the tensor, instead of generating NUL bytes.</summary>
public class CorruptWeightsTests
{
    /// <summary>Overwrites element <paramref name="index"/> of a float32 tensor in place, as a flipped bit or a bad write would.</summary>
    internal static void Poison(string file, string tensor, float value, long index = 5)
    {
        SafeTensorInfo info;
        using (var open = SafeTensorsFile.Open(file)) info = open.Tensors[tensor];
        Assert.Equal("F32", info.DType);
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        var prefix = new byte[8];
        stream.ReadExactly(prefix);
        stream.Position = 8 + BitConverter.ToInt64(prefix) + info.Begin + 4 * index;
        stream.Write(BitConverter.GetBytes(value));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_non_finite_weight_is_refused_naming_the_checkpoint_file_and_the_tensor(float value)
    {
        using var dir = new TempDir();
        LocalModel.InitTiny(dir.Path, seed: 2);
        var weights = Path.Combine(dir.Path, "model.safetensors");
        Poison(weights, "model.layers.2.mlp.up_proj.weight", value);

        var error = Assert.Throws<EngineException>(() => LocalModel.Load(dir.Path));

        Assert.Equal($"{weights}: tensor 'model.layers.2.mlp.up_proj.weight' holds non-finite values (NaN or infinity); the checkpoint is corrupt", error.Message);
    }

    [Fact]
    public void A_float32_weight_beyond_float16_range_is_refused_when_loaded_as_float16()
    {
        using var dir = new TempDir();
        LocalModel.InitTiny(dir.Path, seed: 2);
        Poison(Path.Combine(dir.Path, "model.safetensors"), "model.norm.weight", 1e6f);

        using (CheckpointLoader.Load(dir.Path)) { }   // finite in float32
        var error = Assert.Throws<EngineException>(() => CheckpointLoader.Load(dir.Path, DeviceSpec.Parse("cpu", "float16")));

        Assert.Contains("tensor 'model.norm.weight' holds non-finite values (NaN or infinity after conversion to float16)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_NaN_in_a_lora_adapter_is_refused_and_leaves_the_model_without_an_adapter()
    {
        using var dir = new TempDir();
        using var model = TestModels.Create(TestModels.Llama());
        var adapter = LoraAdapter.Attach(model, new LoraConfig { R = 2 }, seed: 1);
        using (var noGrad = TorchSharp.torch.no_grad())
            foreach (var (_, p) in adapter.NamedParameters()) p.normal_(0, 0.1);
        adapter.Save(dir.Path);
        var weights = Path.Combine(dir.Path, LoraAdapter.WeightsFileName);
        var key = adapter.NamedParameters().First().Key;
        Poison(weights, key, float.NaN, index: 0);
        using var fresh = TestModels.Create(TestModels.Llama());

        var error = Assert.Throws<EngineException>(() => LoraAdapter.Load(fresh, dir.Path));

        Assert.Contains($"{weights}: tensor '{key}' holds non-finite values", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(fresh.Projections(), p => p.Layer.HasAdapter);
    }
}
