using System.Text.Json.Nodes;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Tokenizers;
using static TorchSharp.torch;

namespace HierReason.Cli.Tests.Commands;

public sealed class ModelCommandsTests(TinyModelFolder tiny) : IClassFixture<TinyModelFolder>
{
    [Fact]
    public async Task Init_writes_config_weights_and_tokenizer_and_info_reports_the_parameter_count_of_the_built_model()
    {
        Assert.Equal(0, tiny.Init.ExitCode);
        Assert.Equal("", tiny.Init.Err);
        foreach (var file in new[] { "config.json", "model.safetensors", "tokenizer_config.json" })
            Assert.True(File.Exists(Path.Combine(tiny.Model, file)), file);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(tiny.Root), e => Path.GetFileName(e).StartsWith(".tiny.", StringComparison.Ordinal));

        long expected;
        using (var model = CheckpointLoader.Load(tiny.Model))
            expected = model.parameters().Sum(p => p.numel());
        var tokenizer = TokenizerLoader.Load(tiny.Model);

        var run = await CliRun.Of("model", "info", tiny.Model, "--json");
        Assert.Equal(0, run.ExitCode);
        var info = JsonNode.Parse(run.Out)!;
        Assert.Equal(expected, (long)info["parameters"]!);
        Assert.Equal(expected, (long)info["stored_parameters"]!);
        Assert.Contains(expected.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), tiny.Init.Out);
        Assert.Equal("llama", (string)info["model_type"]!);
        Assert.Equal("LlamaForCausalLM", (string)info["architectures"]![0]!);
        Assert.Equal(tokenizer.VocabSize, (int)info["vocab_size"]!);
        Assert.Equal(4, (int)info["layers"]!);
        Assert.Equal(192, (int)info["hidden_size"]!);
        Assert.Equal(6, (int)info["attention_heads"]!);
        Assert.Equal(2, (int)info["kv_heads"]!);
        Assert.Equal(512, (int)info["intermediate_size"]!);
        Assert.Equal("float32", (string)info["weights_dtype"]!);
        Assert.True((bool)info["tied_embeddings"]!);
        Assert.Equal("byte", (string)info["tokenizer"]!);
        Assert.Equal("chatml", (string)info["chat_template"]!);
        Assert.Equal(1024, (int)info["max_context"]!);
    }

    [Fact]
    public async Task Init_with_the_same_seed_writes_the_same_weights_and_another_seed_different_ones()
    {
        var again = Path.Combine(tiny.NewFolder("again"), "m");
        var other = Path.Combine(tiny.NewFolder("other"), "m");
        Assert.Equal(0, (await CliRun.Of("model", "init", "--output", again, "--seed", "3", "--threads", "1")).ExitCode);
        Assert.Equal(0, (await CliRun.Of("model", "init", "--output", other, "--seed", "4", "--threads", "1")).ExitCode);
        var original = File.ReadAllBytes(Path.Combine(tiny.Model, "model.safetensors"));
        Assert.Equal(original, File.ReadAllBytes(Path.Combine(again, "model.safetensors")));
        Assert.NotEqual(original, File.ReadAllBytes(Path.Combine(other, "model.safetensors")));
    }

    [Fact]
    public async Task Init_refuses_a_non_empty_folder_unless_forced_and_then_replaces_it()
    {
        var folder = tiny.NewFolder("occupied");
        var keep = Path.Combine(folder, "notes.txt");
        File.WriteAllText(keep, "mine");

        var refused = await CliRun.Of("model", "init", "--output", folder, "--threads", "1");
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"error: --output: '{folder}' is not empty; pass --force to replace it", refused.Err.Trim());
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));

        var forced = await CliRun.Of("model", "init", "--output", folder, "--force", "--dtype", "bfloat16", "--threads", "1");
        Assert.Equal(0, forced.ExitCode);
        Assert.False(File.Exists(keep));
        Assert.Equal(["config.json", "model.safetensors", "tokenizer_config.json"],
            Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([Path.GetFileName(folder)], Directory.GetFileSystemEntries(Path.GetDirectoryName(folder)!)
            .Select(Path.GetFileName).Where(n => n!.Contains(Path.GetFileName(folder), StringComparison.Ordinal)));
        var info = JsonNode.Parse((await CliRun.Of("model", "info", folder, "--json")).Out)!;
        Assert.Equal("bfloat16", (string)info["weights_dtype"]!);
    }

    [Fact]
    public async Task Init_fills_an_existing_empty_folder()
    {
        var folder = tiny.NewFolder("empty");
        var run = await CliRun.Of("model", "init", "--output", folder, "--threads", "1");
        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(Path.Combine(folder, "model.safetensors")));
    }

    [Fact]
    public async Task Init_rejects_an_unknown_config_listing_the_known_names()
    {
        var target = Path.Combine(tiny.Root, "never");
        var run = await CliRun.Of("model", "init", "--config", "huge", "--output", target);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --config: unknown model config 'huge': expected one of tiny", run.Err.Trim());
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Logits_of_a_weights_only_folder_equal_the_loaded_models_forward()
    {
        var folder = tiny.WeightsOnly();
        long[] ids = [1, 5, 9, 256, 72];
        var run = await CliRun.Of("model", "logits", "--model", folder, "--ids", string.Join(",", ids), "--json", "--threads", "1");
        Assert.Equal(0, run.ExitCode);
        var rows = JsonNode.Parse(run.Out)!["logits"]!.AsArray();

        float[] expected;
        long vocab;
        using (var model = CheckpointLoader.Load(folder))
        using (no_grad())
        {
            model.eval();
            using var input = tensor(ids).unsqueeze(0);
            using var logits = model.forward(input);
            vocab = logits.shape[2];
            expected = logits.data<float>().ToArray();
        }
        Assert.Equal(264, vocab);
        Assert.Equal(ids.Length, rows.Count);
        for (var t = 0; t < ids.Length; t++)
        {
            var row = rows[t]!.AsArray();
            Assert.Equal(vocab, row.Count);
            for (var v = 0; v < vocab; v++)
                Assert.Equal(expected[t * vocab + v], row[v]!.GetValue<double>(), 1e-6);
        }
        Assert.Contains(expected, x => Math.Abs(x) > 0.1);
    }

    [Fact]
    public async Task Logits_without_json_list_the_top_ids_per_position()
    {
        var run = await CliRun.Of("model", "logits", "--model", tiny.Model, "--ids", "104,105", "--threads", "1");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, run.Lines.Length);
        Assert.StartsWith("position 0 (id 104): top next ids ", run.Lines[0]);
        Assert.StartsWith("position 1 (id 105): top next ids ", run.Lines[1]);
    }

    [Theory]
    [InlineData("1,264", "error: --ids: token id 264 (position 1) is outside the vocabulary of 264 (ids 0..263)")]
    [InlineData("1,,2", "error: --ids: expected comma-separated non-negative integer token ids; found '' at position 1")]
    [InlineData("-1", "error: --ids: expected comma-separated non-negative integer token ids; found '-1' at position 0")]
    [InlineData(" ", "error: --ids: expected comma-separated token ids, e.g. 1,5,9; found none")]
    public async Task Logits_reject_bad_ids_with_a_message_naming_them(string ids, string message)
    {
        var run = await CliRun.Of("model", "logits", "--model", tiny.Model, "--ids", ids, "--threads", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(message, run.Err.Trim());
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Logits_refuse_a_dtype_other_than_float32()
    {
        var run = await CliRun.Of("model", "logits", "--model", tiny.Model, "--ids", "1", "--dtype", "bfloat16", "--threads", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --dtype: model logits computes in float32 only; found 'bfloat16'", run.Err.Trim());
    }

    [Theory]
    [InlineData("--device", "tpu", "error: --device: device 'tpu': expected \"cpu\", \"cuda\" or \"cuda:N\" (N a GPU index)")]
    [InlineData("--device", "cuda:x", "error: --device: device 'cuda:x': expected \"cpu\", \"cuda\" or \"cuda:N\" (N a GPU index)")]
    [InlineData("--dtype", "int8", "error: --dtype: dtype 'int8': expected \"float32\", \"bfloat16\" or \"float16\"")]
    [InlineData("--threads", "0", "error: --threads: expected an integer in [1, 1024]; found 0")]
    public async Task Bad_model_options_exit_2_naming_the_option(string option, string value, string message)
    {
        var logits = await CliRun.Of("model", "logits", "--model", tiny.Model, "--ids", "1", option, value);
        Assert.Equal(2, logits.ExitCode);
        Assert.Equal(message, logits.Err.Trim());

        var target = Path.Combine(tiny.Root, "not-created");
        var init = await CliRun.Of("model", "init", "--output", target, option, value);
        Assert.Equal(2, init.ExitCode);
        Assert.Equal(message, init.Err.Trim());
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task A_missing_model_folder_exits_2_naming_it()
    {
        var missing = Path.Combine(tiny.Root, "absent");
        var logits = await CliRun.Of("model", "logits", "--model", missing, "--ids", "1", "--threads", "1");
        Assert.Equal(2, logits.ExitCode);
        Assert.Equal($"error: {missing}: model folder not found", logits.Err.Trim());
        var info = await CliRun.Of("model", "info", missing);
        Assert.Equal(2, info.ExitCode);
        Assert.Equal($"error: {missing}: model folder not found", info.Err.Trim());
    }

    [Fact]
    public async Task A_folder_without_config_json_exits_2_naming_the_file()
    {
        var empty = tiny.NewFolder("no-config");
        var info = await CliRun.Of("model", "info", empty);
        Assert.Equal(2, info.ExitCode);
        Assert.Equal($"error: {Path.Combine(empty, "config.json")}: config.json not found", info.Err.Trim());
        var logits = await CliRun.Of("model", "logits", "--model", empty, "--ids", "1", "--threads", "1");
        Assert.Equal(2, logits.ExitCode);
        Assert.Equal($"error: {Path.Combine(empty, "config.json")}: config.json not found", logits.Err.Trim());
    }

    [Fact]
    public async Task A_truncated_checkpoint_is_an_engine_error_that_exits_2_without_a_stack_trace()
    {
        var folder = tiny.WeightsOnly();
        var weights = Path.Combine(folder, "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);

        var run = await CliRun.Of("model", "logits", "--model", folder, "--ids", "1", "--threads", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: {weights}: tensor '", run.Err);
        Assert.Contains("run past the data section", run.Err);
        Assert.DoesNotContain("   at ", run.Err);
    }

    [Fact]
    public async Task Info_of_a_weights_only_folder_reports_no_tokenizer_or_chat_template()
    {
        var run = await CliRun.Of("model", "info", tiny.WeightsOnly());
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("tokenizer:         none", run.Lines);
        Assert.Contains("chat template:     none", run.Lines);
        Assert.Contains("parameters:        1,625,280", run.Lines);
        Assert.Contains("weights:           float32 in model.safetensors", run.Lines);
    }

    [Fact]
    public async Task Info_names_a_jinja_chat_template_and_an_unsupported_one_fails_naming_file_line_and_column()
    {
        var good = WithChatTemplate("jinja-good", "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}");
        var run = await CliRun.Of("model", "info", good);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("chat template:     jinja", run.Lines);

        var bad = WithChatTemplate("jinja-bad", "{% for m in messages %}\n{{ m.content | wordwrap(8) }}\n{% endfor %}");
        run = await CliRun.Of("model", "info", bad);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: {Path.Combine(bad, "tokenizer_config.json")}: chat template line 2, column 16: unsupported filter 'wordwrap'", run.Err);
        Assert.DoesNotContain("   at ", run.Err);
    }

    private string WithChatTemplate(string name, string template)
    {
        var folder = tiny.NewFolder(name);
        foreach (var file in Directory.GetFiles(tiny.Model))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        var configPath = Path.Combine(folder, "tokenizer_config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["chat_template"] = template;
        File.WriteAllText(configPath, config.ToJsonString());
        return folder;
    }
}
