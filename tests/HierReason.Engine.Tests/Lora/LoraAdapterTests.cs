using System.Text.Json.Nodes;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Generation;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Lora;

public class LoraAdapterTests
{
    private static readonly LoraConfig AllProjections = new() { R = 4, Alpha = 8, TargetModules = LoraConfig.AllTargets, BaseModelNameOrPath = "tiny" };

    private static Tensor Ids() => tensor(new long[] { 3, 14, 15, 9, 26, 5 }, [2, 3]);

    private static Tensor Logits(CausalLM model)
    {
        using var noGrad = no_grad();
        using var ids = Ids();
        return model.forward(ids);
    }

    private static void TrainB(LoraAdapter adapter)
    {
        using var noGrad = no_grad();
        using var generator = new Generator(99, CPU);
        foreach (var (_, layer) in adapter.Layers) layer.LoraB.normal_(0, 0.05, generator);
    }

    [Fact]
    public void Fresh_adapter_with_zero_B_leaves_outputs_unchanged_and_freezes_the_base()
    {
        using var model = TestModels.Create(TestModels.Qwen2());
        using var before = Logits(model);
        var adapter = LoraAdapter.Attach(model, AllProjections, seed: 1);
        using var after = Logits(model);
        Assert.True(before.eq(after).all().item<bool>());
        Assert.Equal(2 * 7 * 2, adapter.Parameters().Count());
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.All(trainable, name => Assert.Contains(".lora_", name));
        Assert.Equal(28, trainable.Count);
        Assert.Contains("model.layers.1.mlp.down_proj.lora_B.weight", trainable);
    }

    [Fact]
    public void Disabled_adapter_gives_exactly_the_base_after_training_B()
    {
        using var model = TestModels.Create(TestModels.Llama());
        using var baseLogits = Logits(model);
        var adapter = LoraAdapter.Attach(model, AllProjections with { TargetModules = ["q_proj", "v_proj"] }, seed: 1);
        TrainB(adapter);
        using var adapted = Logits(model);
        Assert.False(allclose(baseLogits, adapted, 1e-4, 1e-4));
        using (adapter.Disable())
        {
            using var reference = Logits(model);
            Assert.True(baseLogits.eq(reference).all().item<bool>());
        }
        Assert.True(adapter.Enabled);
    }

    [Fact]
    public void Merged_adapter_equals_the_unmerged_one()
    {
        using var model = TestModels.Create(TestModels.Qwen2());
        var adapter = LoraAdapter.Attach(model, AllProjections, seed: 1);
        TrainB(adapter);
        using var unmerged = Logits(model);
        adapter.Merge();
        using var merged = Logits(model);
        Assert.True(allclose(unmerged, merged, 1e-5, 1e-5));
        adapter.Unmerge();
        using var back = Logits(model);
        Assert.True(allclose(unmerged, back, 1e-5, 1e-5));
    }

    [Fact]
    public void Only_adapter_weights_move_in_a_training_step()
    {
        using var model = TestModels.Create(TestModels.Llama());
        var adapter = LoraAdapter.Attach(model, AllProjections, seed: 1);
        var frozen = model.named_parameters().First(p => p.name == "model.layers.0.self_attn.q_proj.weight").parameter;
        using var frozenBefore = frozen.clone();
        using var optimizer = optim.SGD(adapter.Parameters(), 0.5);
        using (var scores = CompletionScorer.Score(model, [([3, 4], [5, 6, 7])]))
        {
            using var loss = -scores.LogProbs.sum();
            loss.backward();
        }
        optimizer.step();
        Assert.True(frozen.eq(frozenBefore).all().item<bool>());
        Assert.True(adapter.Layers[0].Layer.LoraB.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Peft_round_trip_restores_the_same_outputs_and_layout()
    {
        var dir = TestModels.TempDir();
        using var model = TestModels.Create(TestModels.Qwen2());
        var adapter = LoraAdapter.Attach(model, AllProjections, seed: 3);
        TrainB(adapter);
        using var expected = Logits(model);
        adapter.Save(dir);

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "adapter_config.json")))!;
        Assert.Equal("LORA", config["peft_type"]!.GetValue<string>());
        Assert.Equal(4, config["r"]!.GetValue<int>());
        Assert.Equal(8.0, config["lora_alpha"]!.GetValue<double>());
        Assert.Equal("tiny", config["base_model_name_or_path"]!.GetValue<string>());
        using (var file = SafeTensorsFile.Open(Path.Combine(dir, "adapter_model.safetensors")))
        {
            Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", file.Tensors.Keys);
            Assert.Equal(new long[] { 4, 32 }, file.Tensors["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"].Shape);
            Assert.Equal(28, file.Tensors.Count);
        }

        using var fresh = TestModels.Create(TestModels.Qwen2());
        var loaded = LoraAdapter.Load(fresh, dir);
        Assert.Equal(AllProjections.TargetModules, loaded.Config.TargetModules);
        using var actual = Logits(fresh);
        Assert.True(expected.eq(actual).all().item<bool>());
    }

    [Fact]
    public void Merged_model_saved_as_a_plain_checkpoint_reproduces_the_adapted_outputs()
    {
        var dir = TestModels.TempDir();
        using var model = TestModels.Create(TestModels.Qwen2());
        var adapter = LoraAdapter.Attach(model, AllProjections, seed: 3);
        TrainB(adapter);
        using var adapted = Logits(model);
        adapter.Merge();
        CheckpointSaver.Save(model, dir);
        using (var file = SafeTensorsFile.Open(Path.Combine(dir, "model.safetensors")))
            Assert.DoesNotContain(file.Tensors.Keys, k => k.Contains("lora_"));
        using var loaded = CheckpointLoader.Load(dir);
        using var reloaded = Logits(loaded);
        Assert.True(allclose(adapted, reloaded, 1e-5, 1e-5));
    }

    [Fact]
    public void Adapter_for_another_shape_is_rejected_by_name_and_leaves_the_model_untouched()
    {
        var dir = TestModels.TempDir();
        using (var model = TestModels.Create(TestModels.Llama()))
            LoraAdapter.Attach(model, AllProjections, seed: 3).Save(dir);
        using var wider = TestModels.Create(TestModels.Llama() with { IntermediateSize = 64 });
        var error = Assert.Throws<EngineException>(() => LoraAdapter.Load(wider, dir));
        Assert.Contains("base_model.model.model.layers.0.mlp.gate_proj.lora_B.weight: expected [64, 4], found [48, 4]", error.Message);
        Assert.DoesNotContain(wider.named_parameters(), p => p.name.Contains("lora_"));
    }

    [Fact]
    public void Generation_ignores_lora_dropout_and_restores_training_mode()
    {
        using var model = TestModels.Create(TestModels.Llama() with { EosTokenIds = [] });
        var adapter = LoraAdapter.Attach(model, AllProjections with { Dropout = 0.5 }, seed: 1);
        TrainB(adapter);
        model.train();
        var generator = new TokenGenerator(model);
        var options = new GenerationOptions { Temperature = 0, MaxNewTokens = 8 };
        var first = generator.Generate([[3, 4, 5]], options)[0];
        var second = generator.Generate([[3, 4, 5]], options)[0];
        Assert.Equal(first.LogProbs, second.LogProbs);
        Assert.True(model.training);
    }

    [Theory]
    [InlineData("""{"peft_type": "PREFIX_TUNING", "r": 4}""", "$.peft_type")]
    [InlineData("""{"peft_type": "LORA", "r": 0, "target_modules": ["q_proj"]}""", "$.r")]
    [InlineData("""{"peft_type": "LORA", "r": 4, "target_modules": ["qkv"]}""", "$.target_modules")]
    [InlineData("""{"peft_type": "LORA", "r": 4, "target_modules": ["q_proj"], "bias": "all"}""", "$.bias")]
    public void Bad_adapter_configs_name_the_field(string json, string field)
    {
        var dir = TestModels.TempDir();
        File.WriteAllText(Path.Combine(dir, "adapter_config.json"), json);
        var error = Assert.Throws<EngineException>(() => LoraConfig.Load(Path.Combine(dir, "adapter_config.json")));
        Assert.Contains(field, error.Message);
        Assert.Contains("adapter_config.json", error.Message);
    }
}
