using System.Text.Json.Nodes;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Models;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Checkpoints;

public class CheckpointLoaderTests
{
    private static void AssertSameWeights(CausalLM expected, CausalLM actual)
    {
        var a = expected.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var b = actual.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, w) in a)
            Assert.True(w.eq(b[name].to(w.dtype)).all().item<bool>(), name);
    }

    private static CausalLM QwenWithRandomBiases()
    {
        var model = TestModels.Create(TestModels.Qwen2());
        using var noGrad = no_grad();
        foreach (var (name, p) in model.named_parameters().Where(p => p.name.EndsWith(".bias")))
            p.normal_(0, 0.1);
        return model;
    }

    [Fact]
    public void Saved_qwen2_checkpoint_with_biases_and_untied_head_loads_identically()
    {
        var dir = TestModels.TempDir();
        using var model = QwenWithRandomBiases();
        CheckpointSaver.Save(model, dir);
        Assert.True(File.Exists(Path.Combine(dir, "config.json")));
        Assert.True(File.Exists(Path.Combine(dir, "model.safetensors")));
        using var loaded = CheckpointLoader.Load(dir);
        Assert.Equal("qwen2", loaded.Config.ModelType);
        AssertSameWeights(model, loaded);
        using var noGrad = no_grad();
        using var ids = tensor(new long[] { 3, 14, 15, 9, 26 }, [1, 5]);
        Assert.True(allclose(model.forward(ids), loaded.forward(ids)));
    }

    [Fact]
    public void Tied_llama_checkpoint_has_no_lm_head_key_and_loads()
    {
        var dir = TestModels.TempDir();
        using var model = TestModels.Create(TestModels.Llama());
        CheckpointSaver.Save(model, dir);
        using (var file = SafeTensorsFile.Open(Path.Combine(dir, "model.safetensors")))
        {
            Assert.DoesNotContain("lm_head.weight", file.Tensors.Keys);
            Assert.Contains("model.layers.1.self_attn.o_proj.weight", file.Tensors.Keys);
        }
        using var loaded = CheckpointLoader.Load(dir);
        AssertSameWeights(model, loaded);
    }

    [Fact]
    public void Sharded_checkpoint_loads_through_its_index()
    {
        var dir = TestModels.TempDir();
        using var model = QwenWithRandomBiases();
        CheckpointSaver.Save(model, dir, maxShardBytes: 20_000);
        Assert.False(File.Exists(Path.Combine(dir, "model.safetensors")));
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "model.safetensors.index.json")))!;
        var shards = index["weight_map"]!.AsObject().Select(kv => kv.Value!.GetValue<string>()).Distinct().ToList();
        Assert.True(shards.Count > 2, $"{shards.Count} shards");
        using var loaded = CheckpointLoader.Load(dir);
        AssertSameWeights(model, loaded);
    }

    [Fact]
    public void Bfloat16_checkpoint_converts_to_the_requested_dtype()
    {
        var dir = TestModels.TempDir();
        using var model = TestModels.Create(TestModels.Llama());
        CheckpointSaver.Save(model, dir, ScalarType.BFloat16);
        Assert.Equal("bfloat16", ModelConfig.Load(Path.Combine(dir, "config.json")).TorchDtype);
        using var loaded = CheckpointLoader.Load(dir, DeviceSpec.Parse("cpu", "float32"));
        var w = loaded.named_parameters().First(p => p.name == "model.embed_tokens.weight").parameter;
        var original = model.named_parameters().First(p => p.name == "model.embed_tokens.weight").parameter;
        Assert.Equal(ScalarType.Float32, w.dtype);
        Assert.True(allclose(original, w, rtol: 1e-2, atol: 1e-4));
        Assert.True(w.eq(original.to(ScalarType.BFloat16).to(ScalarType.Float32)).all().item<bool>());
    }

    [Fact]
    public void Missing_weights_file_is_reported()
    {
        var dir = TestModels.TempDir();
        TestModels.Llama().Save(dir);
        var error = Assert.Throws<EngineException>(() => CheckpointLoader.Load(dir));
        Assert.Contains("no model.safetensors", error.Message);
        Assert.Contains(dir, error.Message);
    }

    [Fact]
    public void Wrong_shape_names_the_first_mismatched_tensor_with_both_shapes()
    {
        var dir = TestModels.TempDir();
        using var model = TestModels.Create(TestModels.Llama());
        CheckpointSaver.Save(model, dir);
        // The same file, read against a config with a wider MLP.
        (TestModels.Llama() with { IntermediateSize = 64 }).Save(dir);
        var error = Assert.Throws<EngineException>(() => CheckpointLoader.Load(dir));
        Assert.Contains("model.layers.0.mlp.gate_proj.weight: expected [64, 32], found [48, 32]", error.Message);
    }

    [Fact]
    public void Missing_key_is_named()
    {
        var dir = TestModels.TempDir();
        using var model = TestModels.Create(TestModels.Llama());
        var tensors = model.named_parameters().Where(p => p.name != "model.layers.1.mlp.up_proj.weight")
            .Select(p => (p.name, (Tensor)p.parameter)).ToList();
        SafeTensorsWriter.WriteCheckpoint(dir, tensors);
        model.Config.Save(dir);
        var error = Assert.Throws<EngineException>(() => CheckpointLoader.Load(dir));
        Assert.Contains("model.layers.1.mlp.up_proj.weight: missing", error.Message);
    }

    [Fact]
    public void Unexpected_keys_are_named_but_rotary_frequencies_are_ignored()
    {
        var dir = TestModels.TempDir();
        using var model = TestModels.Create(TestModels.Llama());
        using var extra = ones(4);
        var tensors = model.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Append(("model.layers.0.self_attn.rotary_emb.inv_freq", extra)).ToList();
        SafeTensorsWriter.WriteCheckpoint(dir, tensors);
        model.Config.Save(dir);
        using (var loaded = CheckpointLoader.Load(dir)) AssertSameWeights(model, loaded);

        SafeTensorsWriter.WriteCheckpoint(dir, [.. tensors, ("model.layers.9.mlp.gate_proj.weight", extra)]);
        var error = Assert.Throws<EngineException>(() => CheckpointLoader.Load(dir));
        Assert.Contains("unexpected", error.Message);
        Assert.Contains("model.layers.9.mlp.gate_proj.weight", error.Message);
    }

    [Fact]
    public void Truncated_checkpoint_is_reported_not_crashed()
    {
        var dir = TestModels.TempDir();
        using var model = TestModels.Create(TestModels.Llama());
        CheckpointSaver.Save(model, dir);
        var path = Path.Combine(dir, "model.safetensors");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<EngineException>(() => CheckpointLoader.Load(dir));
        Assert.Contains("model.safetensors", error.Message);
    }

    [Fact]
    public void Tiny_model_is_deterministic_under_a_seed_through_save_and_load()
    {
        var dirA = TestModels.TempDir();
        var dirB = TestModels.TempDir();
        using (var a = TinyModelFactory.Create(seed: 11, vocabSize: 64)) CheckpointSaver.Save(a, dirA);
        using (var b = TinyModelFactory.Create(seed: 11, vocabSize: 64)) CheckpointSaver.Save(b, dirB);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dirA, "model.safetensors")), File.ReadAllBytes(Path.Combine(dirB, "model.safetensors")));
    }
}
