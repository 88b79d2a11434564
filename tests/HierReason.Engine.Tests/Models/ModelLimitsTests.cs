using System.Text.Json.Nodes;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Inference;
using HierReason.Engine.Models;

namespace HierReason.Engine.Tests.Models;

/// <summary>config.json sizes are bounded and the weights' memory is checked before anything is allocated.</summary>
public class ModelLimitsTests
{
    private static JsonObject TinyJson() => ModelConfig.Tiny(259).ToJson();

    private static string WriteConfig(TempDir dir, JsonObject json)
    {
        var path = Path.Combine(dir.Path, "config.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    [Fact]
    public void Max_position_embeddings_of_int_max_is_refused_naming_config_json_the_field_and_the_range()
    {
        using var dir = new TempDir();
        var json = TinyJson();
        json["max_position_embeddings"] = int.MaxValue;
        var path = WriteConfig(dir, json);

        var error = Assert.Throws<EngineException>(() => ModelConfig.Load(path));

        Assert.Equal($"{path}: $.max_position_embeddings: expected an integer in [1, 1048576]; found 2147483647", error.Message);
    }

    public static TheoryData<string, string, string> Hostile => new()
    {
        // field, JSON value, fragment of the expectation
        { "vocab_size", "8388608", "an integer in [1, 4194304]" },
        { "hidden_size", "1000000", "an integer in [1, 65536]" },
        { "intermediate_size", "0", "an integer in [1, 262144]" },
        { "num_hidden_layers", "100000", "an integer in [1, 1024]" },
        { "num_attention_heads", "4096", "an integer in [1, 1024]" },
        { "num_key_value_heads", "12", "an integer in [1, 6]" },
        { "head_dim", "4096", "an integer in [1, 1024]" },
        { "max_position_embeddings", "1e30", "an integer in [1, 1048576]" },
        { "rope_theta", "1e300", "at most 1e12" },
        { "rms_norm_eps", "2", "a number in (0, 1)" },
        { "eos_token_id", "[5, 100000]", "token ids in [0, vocab_size 259)" },
        { "bos_token_id", "-1", "a token id in [0, vocab_size 259)" },
        { "rope_scaling", """{"rope_type": "llama3", "factor": 8, "low_freq_factor": 4, "high_freq_factor": 4}""", "above low_freq_factor" },
        { "rope_scaling", """{"rope_type": "linear", "factor": 1e9}""", "at most 1024" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Every_size_field_is_bounded(string field, string value, string expected)
    {
        var json = TinyJson();
        json[field] = JsonNode.Parse(value);

        var error = Assert.Throws<EngineException>(() => ModelConfig.Parse(json, "m/config.json"));

        Assert.StartsWith($"m/config.json: $.{field}", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_positions_the_limits_allow_parse()
    {
        var json = TinyJson();
        json["max_position_embeddings"] = ModelLimits.MaxPositionEmbeddings;
        Assert.Equal(1 << 20, ModelConfig.Parse(json).MaxPositionEmbeddings);
    }

    [Fact]
    public void A_config_within_limits_whose_weights_exceed_memory_is_refused_before_anything_is_allocated()
    {
        using var dir = new TempDir();
        // 4M tokens × 16K wide, untied: 2 × 2^36 embedding parameters, half a terabyte in float32.
        var json = TinyJson();
        json["vocab_size"] = ModelLimits.MaxVocabSize;
        json["hidden_size"] = 1 << 14;
        json["head_dim"] = 128;
        json["num_attention_heads"] = 128;
        json["num_key_value_heads"] = 8;
        json["tie_word_embeddings"] = false;
        WriteConfig(dir, json);
        // A real (small) safetensors file, so the refusal comes from the memory check and not from a missing file.
        using (var tiny = TinyModelFactory.Create(ModelConfig.Tiny(259), seed: 1)) SafeTensorsWriter.Write(Path.Combine(dir.Path, "model.safetensors"), [("x", tiny.named_parameters().First().parameter)]);

        var error = Assert.Throws<EngineException>(() => CheckpointLoader.Load(dir.Path));

        Assert.StartsWith(Path.Combine(dir.Path, "config.json") + ": the model's weights need ", error.Message, StringComparison.Ordinal);
        Assert.Contains("vocab_size 4194304, hidden_size 16384", error.Message, StringComparison.Ordinal);
        Assert.Contains("GiB of memory available", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weight_bytes_follow_the_parameter_count_and_dtype()
    {
        var config = ModelConfig.Tiny(259);
        using var model = TinyModelFactory.Create(config, seed: 1);
        var parameters = model.named_parameters().Sum(p => p.parameter.numel());
        Assert.Equal(parameters, config.ParameterCount());
        Assert.Equal(model.named_parameters().Select(p => (p.name, p.parameter.shape)), config.ParameterShapes().Select(p => (p.Name, p.Shape)));
        Assert.Equal(4 * parameters, ModelMemory.WeightBytes(config, TorchSharp.torch.ScalarType.Float32));
        Assert.Equal(2 * parameters, ModelMemory.WeightBytes(config, TorchSharp.torch.ScalarType.BFloat16));
        var refusal = Assert.Throws<EngineException>(() => ModelMemory.EnsureFits(config, DeviceSpec.Cpu, "t/config.json", availableBytes: 1000));
        Assert.Contains("t/config.json: the model's weights need 0.0 GiB in float32", refusal.Message, StringComparison.Ordinal);
        ModelMemory.EnsureFits(config, DeviceSpec.Cpu, "t/config.json", availableBytes: 4 * parameters);
    }

    [Fact]
    public void A_million_position_model_loads_and_generates_without_a_million_position_rotary_table()
    {
        using var dir = new TempDir();
        LocalModel.InitTiny(dir.Path, seed: 5);
        var configPath = Path.Combine(dir.Path, "config.json");
        var json = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        json["max_position_embeddings"] = 1 << 20;
        File.WriteAllText(configPath, json.ToJsonString());

        using var model = LocalModel.Load(dir.Path);
        Assert.Equal(1 << 20, model.Info.MaxContext);
        // Before: two float32 (2^20, 32) tables, 256 MB, built in the constructor (resident memory grew by 280 MB here).
        Assert.Equal(0, model.Model.RotaryPositionsCached);

        var completion = model.Generate(["12+7="], new TextGenerationSettings { Temperature = 0, MaxNewTokens = 8 })[0][0];
        Assert.NotEmpty(completion.TokenIds);
        Assert.InRange(model.Model.RotaryPositionsCached, completion.PromptTokens + completion.TokenIds.Length - 1, 256);
    }

    [Fact]
    public void Rotary_tables_grown_on_demand_give_the_logits_of_tables_built_at_once()
    {
        var config = TestModels.Llama();
        using var small = TestModels.Create(config, seed: 3);
        using var large = TestModels.Create(config with { MaxPositionEmbeddings = 1 << 20 }, seed: 3);
        using var noGrad = TorchSharp.torch.no_grad();
        using var shortIds = TorchSharp.torch.tensor(new long[] { 3, 14, 15 }, [1, 3]);
        using var longIds = TorchSharp.torch.arange(100, dtype: TorchSharp.torch.ScalarType.Int64).remainder(61).unsqueeze(0);

        // The large model grows its tables from 3 to 100 positions; the rows it had must not change.
        using var a = large.forward(shortIds);
        using var b = large.forward(longIds);
        using var c = small.forward(longIds);

        Assert.True(TorchSharp.torch.allclose(b, c, rtol: 0, atol: 0));
        Assert.InRange(large.RotaryPositionsCached, 100, 256);
    }
}
