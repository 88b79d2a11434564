using System.Text.Json.Nodes;
using HierReason.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Models;

public class ModelConfigTests
{
    private const string Qwen = """
        {
          "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "vocab_size": 151936,
          "hidden_size": 896, "intermediate_size": 4864, "num_hidden_layers": 24,
          "num_attention_heads": 14, "num_key_value_heads": 2, "rms_norm_eps": 1e-06,
          "rope_theta": 1000000.0, "max_position_embeddings": 32768, "tie_word_embeddings": true,
          "bos_token_id": 151643, "eos_token_id": 151645, "torch_dtype": "bfloat16",
          "sliding_window": 32768, "use_cache": true, "rope_scaling": null
        }
        """;

    private static ModelConfig Parse(string json) => ModelConfig.Parse(JsonNode.Parse(json)!.AsObject());

    [Fact]
    public void Qwen2_config_reads_fields_defaults_and_implied_biases()
    {
        var config = Parse(Qwen);
        Assert.Equal(151936, config.VocabSize);
        Assert.Equal(64, config.HeadDim);
        Assert.Equal(7, config.KvGroups);
        Assert.Equal(1_000_000.0, config.RopeTheta);
        Assert.True(config.QkvBias);
        Assert.False(config.OutputBias);
        Assert.Equal([151645], config.EosTokenIds);
        Assert.Equal("bfloat16", config.TorchDtype);
    }

    [Fact]
    public void Llama_config_defaults_kv_heads_to_heads_and_reads_eos_lists()
    {
        var config = Parse("""
            {"model_type": "llama", "vocab_size": 128256, "hidden_size": 2048, "intermediate_size": 8192,
             "num_hidden_layers": 16, "num_attention_heads": 32, "eos_token_id": [128001, 128008, 128009]}
            """);
        Assert.Equal(32, config.NumKeyValueHeads);
        Assert.False(config.QkvBias);
        Assert.False(config.TieWordEmbeddings);
        Assert.Equal([128001, 128008, 128009], config.EosTokenIds);
    }

    [Theory]
    [InlineData("\"num_attention_heads\": 14", "\"num_attention_heads\": 13", "num_attention_heads")]
    [InlineData("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 4", "num_key_value_heads")]
    [InlineData("\"vocab_size\": 151936,", "", "vocab_size")]
    [InlineData("\"model_type\": \"qwen2\"", "\"model_type\": \"gpt2\"", "model_type")]
    [InlineData("\"hidden_size\": 896", "\"hidden_size\": \"896\"", "hidden_size")]
    [InlineData("\"use_cache\": true", "\"hidden_act\": \"gelu\"", "hidden_act")]
    public void Impossible_or_missing_fields_name_the_file_and_field(string original, string replacement, string field)
    {
        var json = JsonNode.Parse(Qwen.Replace(original, replacement))!.AsObject();
        var error = Assert.Throws<EngineException>(() => ModelConfig.Parse(json, "models/q/config.json"));
        Assert.Contains("models/q/config.json", error.Message);
        Assert.Contains("$." + field, error.Message);
    }

    [Fact]
    public void Saved_config_reads_back_equal()
    {
        var dir = TestModels.TempDir();
        var config = TestModels.Qwen2() with { EosTokenIds = [1, 2], BosTokenId = 0 };
        config.Save(dir);
        var back = ModelConfig.Load(Path.Combine(dir, "config.json"));
        Assert.Equal(config with { EosTokenIds = [] }, back with { EosTokenIds = [] });
        Assert.Equal([1, 2], back.EosTokenIds);
    }

    [Fact]
    public void Llama3_rope_scaling_survives_a_save_and_load()
    {
        var dir = TestModels.TempDir();
        var config = TestModels.Llama() with { RopeScaling = new RopeScaling("llama3", 8, 1, 4, 8192) };
        config.Save(dir);
        Assert.Equal(config.RopeScaling, ModelConfig.Load(Path.Combine(dir, "config.json")).RopeScaling);
    }

    [Fact]
    public void Missing_config_file_is_a_user_error()
    {
        var error = Assert.Throws<EngineException>(() => ModelConfig.Load("/nonexistent/config.json"));
        Assert.Contains("/nonexistent/config.json", error.Message);
    }

    [Theory]
    [InlineData("cpu", "float32", DeviceType.CPU, -1, ScalarType.Float32)]
    [InlineData("cuda", "bf16", DeviceType.CUDA, -1, ScalarType.BFloat16)]
    [InlineData("cuda:3", "float16", DeviceType.CUDA, 3, ScalarType.Float16)]
    public void Device_specs_parse(string device, string dtype, DeviceType type, int index, ScalarType scalar)
    {
        Assert.Equal(new DeviceSpec(type, index, scalar), DeviceSpec.Parse(device, dtype));
    }

    [Theory]
    [InlineData("gpu", "float32", "device 'gpu'")]
    [InlineData("cuda:x", "float32", "device 'cuda:x'")]
    [InlineData("cpu", "int8", "dtype 'int8'")]
    public void Unknown_devices_and_dtypes_are_user_errors(string device, string dtype, string expected)
    {
        var error = Assert.Throws<EngineException>(() => DeviceSpec.Parse(device, dtype));
        Assert.Contains(expected, error.Message);
    }
}
