using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Core.Tasks;
using HierReason.Engine.Checkpoints;

namespace HierReason.Cli.Tests.Commands;

/// <summary>
/// Hostile models, configs and paths through the real CLI: each exits 2 with the file and the field it blames, and leaves
/// nothing behind (no run folder, no results, no metrics.jsonl).
/// </summary>
public sealed class HostileInputTests(TinyModelFolder tiny) : IClassFixture<TinyModelFolder>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private const string Tasks = """{ "tasks": [ { "task": "chain_sum", "level": 0 } ], "defaults": { "n": 2 } }""";

    /// <summary>A copy of the tiny model that a test may damage.</summary>
    private string CopyOfTiny()
    {
        var copy = tiny.NewFolder("copy");
        foreach (var file in Directory.GetFiles(tiny.Model)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    private static void EditConfig(string model, Action<JsonObject> edit)
    {
        var path = Path.Combine(model, "config.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    private static string ModelsJson(string name, string modelFields) =>
        $$"""{ "models": [ { "name": "{{name}}", "backend": "local", {{modelFields}} } ] }""";

    /// <summary>bench over a scratch folder; returns the run and the folders it must not create.</summary>
    private async Task<(CliRun Run, string Runs, string Results)> Bench(string folder, params string[] extra)
    {
        var runs = Path.Combine(folder, "runs");
        var results = Path.Combine(folder, "results");
        var configs = Directory.CreateDirectory(Path.Combine(folder, "configs")).FullName;
        string[] args = ["bench", "--models-file", Path.Combine(folder, "models.json"), "--tasks-file", Path.Combine(folder, "tasks.json"),
            "--task-configs", configs, "--runs", runs, "--output", results, "--threads", "1", .. extra];
        return (await CliRun.Of(args), runs, results);
    }

    private static void AssertUserError(CliRun run, params string[] fragments)
    {
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}\n{run.Out}\n{run.Err}");
        foreach (var fragment in fragments) Assert.Contains(fragment, run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Err, StringComparison.Ordinal);
    }

    // ── 5: model sizes ──────────────────────────────────────────────────────────────────────────────────────────

    [Fact]
    public async Task Model_info_refuses_int_max_positions_naming_config_json_and_the_field()
    {
        var model = CopyOfTiny();
        EditConfig(model, c => c["max_position_embeddings"] = int.MaxValue);

        var run = await CliRun.Of("model", "info", model);

        AssertUserError(run, $"{Path.Combine(model, "config.json")}: $.max_position_embeddings: expected an integer in [1, 1048576]; found 2147483647");
    }

    [Fact]
    public async Task Generate_refuses_int_max_positions_before_allocating()
    {
        var model = CopyOfTiny();
        EditConfig(model, c => c["max_position_embeddings"] = int.MaxValue);

        var run = await CliRun.Of("generate", "--model", model, "--prompt", "1+1=", "--max-new-tokens", "2", "--threads", "1");

        AssertUserError(run, "$.max_position_embeddings: expected an integer in [1, 1048576]");
    }

    // ── 6: corrupt checkpoints ──────────────────────────────────────────────────────────────────────────────────

    [Fact]
    public async Task Model_info_names_every_tensor_whose_shape_does_not_match_config_json_and_exits_2()
    {
        var model = CopyOfTiny();
        EditConfig(model, c => c["intermediate_size"] = 256);
        var weights = Path.Combine(model, "model.safetensors");

        var run = await CliRun.Of("model", "info", model);

        AssertUserError(run);
        var errors = run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(12, errors.Length); // 4 layers × gate, up, down
        Assert.Contains($"error: {weights}: tensor 'model.layers.0.mlp.gate_proj.weight': expected [256, 192] from config.json; found [512, 192]", errors);
        Assert.Contains($"error: {weights}: tensor 'model.layers.3.mlp.down_proj.weight': expected [192, 256] from config.json; found [192, 512]", errors);
        Assert.Contains("intermediate size:", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_eval_job_on_a_model_with_a_NaN_weight_fails_naming_the_tensor_instead_of_scoring_zero()
    {
        var model = CopyOfTiny();
        var weights = Path.Combine(model, "model.safetensors");
        PoisonFirstElement(weights, "model.layers.1.self_attn.v_proj.weight");
        var folder = tiny.NewFolder("nan-eval");
        var result = Path.Combine(folder, "r.json");
        var task = TaskRegistry.Default.Get("chain_sum");
        var job = new EvalJob("nan", task.Name, (JsonObject)JsonSerializer.SerializeToNode(task.Levels[0], task.ConfigType, HierJson.Options)!, 0, "test", 0, 2,
            new ModelSpec("nan", "local", model, null, null, null, GenerationSpec.Default with { MaxTokens = 4 }, null, null, null, 1, "h"),
            "cpu:0", result, Path.Combine(folder, "r.jsonl"), BatchSize: 2, Threads: 1);
        var jobFile = Path.Combine(folder, "nan.job.json");
        File.WriteAllText(jobFile, JsonSerializer.Serialize(job, HierJson.Options));

        var run = await CliRun.Of("eval", "--job", jobFile);

        AssertUserError(run, $"{weights}: tensor 'model.layers.1.self_attn.v_proj.weight' holds non-finite values");
        Assert.False(File.Exists(result), "a result was written for a corrupt model");
    }

    private static void PoisonFirstElement(string file, string tensor)
    {
        SafeTensorInfo info;
        using (var open = SafeTensorsFile.Open(file)) info = open.Tensors[tensor];
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        var prefix = new byte[8];
        stream.ReadExactly(prefix);
        stream.Position = 8 + BitConverter.ToInt64(prefix) + info.Begin;
        stream.Write(BitConverter.GetBytes(float.NaN));
    }

    // ── 7: task config folders ──────────────────────────────────────────────────────────────────────────────────

    [Fact]
    public async Task Tasks_sample_with_a_config_dir_that_does_not_exist_exits_2()
    {
        var missing = Path.Combine(tiny.Root, "no-such-dir");

        var run = await CliRun.Of("tasks", "sample", "chain_sum", "--n", "1", "--task-configs", missing);

        AssertUserError(run, $"--task-configs: {missing}: no such folder");
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task A_task_config_that_is_a_folder_exits_2_instead_of_dropping_its_levels()
    {
        var configs = tiny.NewFolder("configs");
        var folder = Directory.CreateDirectory(Path.Combine(configs, "chain_sum.json")).FullName;

        var run = await CliRun.Of("tasks", "sample", "chain_sum", "--n", "1", "--task-configs", configs);

        AssertUserError(run, $"{folder}: expected a regular file; found a directory");
    }

    [Fact]
    public async Task Bench_with_task_configs_that_do_not_exist_exits_2_and_writes_nothing()
    {
        var folder = tiny.NewFolder("bench-configs");
        File.WriteAllText(Path.Combine(folder, "models.json"), ModelsJson("tiny", $"\"path\": {JsonSerializer.Serialize(tiny.Model)}"));
        File.WriteAllText(Path.Combine(folder, "tasks.json"), Tasks);
        var missing = Path.Combine(folder, "no-such-dir");

        var run = await CliRun.Of("bench", "--models-file", Path.Combine(folder, "models.json"), "--tasks-file", Path.Combine(folder, "tasks.json"),
            "--task-configs", missing, "--runs", Path.Combine(folder, "runs"), "--output", Path.Combine(folder, "results"));

        AssertUserError(run, $"--task-configs: {missing}: no such folder");
        Assert.False(Directory.Exists(Path.Combine(folder, "runs")));
        Assert.False(Directory.Exists(Path.Combine(folder, "results")));
    }

    [Fact]
    public async Task Slurm_with_task_configs_that_do_not_exist_exits_2_and_writes_nothing()
    {
        var folder = tiny.NewFolder("slurm-configs");
        File.WriteAllText(Path.Combine(folder, "models.json"), ModelsJson("tiny", $"\"path\": {JsonSerializer.Serialize(tiny.Model)}"));
        File.WriteAllText(Path.Combine(folder, "tasks.json"), Tasks);
        var missing = Path.Combine(folder, "no-such-dir");

        var run = await CliRun.Of("slurm", "--models-file", Path.Combine(folder, "models.json"), "--tasks-file", Path.Combine(folder, "tasks.json"),
            "--task-configs", missing, "--runs", Path.Combine(folder, "runs"), "--output", Path.Combine(folder, "slurm"));

        AssertUserError(run, $"--task-configs: {missing}: no such folder");
        Assert.False(Directory.Exists(Path.Combine(folder, "runs")));
        Assert.False(Directory.Exists(Path.Combine(folder, "slurm")));
    }

    // ── 8: names, paths and what a config file may be ───────────────────────────────────────────────────────────

    [Fact]
    public async Task Bench_with_a_FIFO_as_models_json_exits_2_at_once()
    {
        var folder = tiny.NewFolder("fifo");
        var fifo = Fifo.Create(Path.Combine(folder, "models.json"));
        File.WriteAllText(Path.Combine(folder, "tasks.json"), Tasks);
        CliRun? run = null;

        var crash = await Fifo.WithinLimit(fifo, () => run = Bench(folder).GetAwaiter().GetResult().Run, Limit);

        Assert.Null(crash);
        AssertUserError(run!, $"{fifo}: expected a regular file; found a FIFO, device or socket");
        Assert.False(Directory.Exists(Path.Combine(folder, "runs")));
    }

    [Fact]
    public async Task Bench_with_tasks_json_linked_to_dev_zero_exits_2_without_reading_it()
    {
        var folder = tiny.NewFolder("zero");
        File.WriteAllText(Path.Combine(folder, "models.json"), ModelsJson("tiny", $"\"path\": {JsonSerializer.Serialize(tiny.Model)}"));
        File.CreateSymbolicLink(Path.Combine(folder, "tasks.json"), "/dev/zero");

        var (run, runs, _) = await Bench(folder);

        AssertUserError(run, $"{Path.Combine(folder, "tasks.json")}: expected a regular file; found a FIFO, device or socket");
        Assert.False(Directory.Exists(runs));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("-x")]
    [InlineData("a\u0001b")]
    public async Task Bench_refuses_a_model_name_that_is_not_one_safe_path_segment(string name)
    {
        var folder = tiny.NewFolder("name");
        File.WriteAllText(Path.Combine(folder, "models.json"), $$"""{ "models": [ { "name": {{JsonSerializer.Serialize(name)}}, "backend": "local", "path": {{JsonSerializer.Serialize(tiny.Model)}} } ] }""");
        File.WriteAllText(Path.Combine(folder, "tasks.json"), Tasks);

        var (run, runs, results) = await Bench(folder);

        AssertUserError(run, $"{Path.Combine(folder, "models.json")}: $.models[0].name: expected a name usable as one folder name");
        Assert.False(Directory.Exists(runs));
        Assert.False(Directory.Exists(results));
    }

    [Fact]
    public async Task Bench_refuses_a_train_model_whose_experiment_is_named_dot_dot()
    {
        var folder = tiny.NewFolder("train-name");
        File.WriteAllText(Path.Combine(folder, "exp.json"), """{ "name": "..", "model": { "init": "tiny" }, "data": { "tasks": [ { "task": "chain_sum" } ] } }""");
        File.WriteAllText(Path.Combine(folder, "models.json"), ModelsJson("m", "\"train\": \"exp.json\""));
        File.WriteAllText(Path.Combine(folder, "tasks.json"), Tasks);

        var (run, runs, _) = await Bench(folder);

        AssertUserError(run, $"{Path.Combine(folder, "models.json")}: $.models[0].train: expected an experiment whose name is a name usable as one folder name");
        Assert.False(Directory.Exists(runs));
    }

    [Fact]
    public async Task Train_refuses_an_experiment_named_dot_dot_and_trains_nothing()
    {
        var folder = tiny.NewFolder("dotdot");
        var output = Path.Combine(folder, "out");
        var path = Path.Combine(folder, "exp.json");
        File.WriteAllText(path, $$"""{ "name": "..", "model": { "init": "tiny" }, "data": { "tasks": [ { "task": "chain_sum", "level": 0 } ] }, "sft": { "steps": 1, "batch_size": 1 }, "output": {{JsonSerializer.Serialize(output)}} }""");

        var run = await CliRun.Of("train", path, "--threads", "1");

        AssertUserError(run, $"{path}: $.name: expected a name usable as one folder name", "names a folder itself");
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Bench_refuses_an_80_thousand_character_path_with_its_json_path()
    {
        var folder = tiny.NewFolder("long");
        File.WriteAllText(Path.Combine(folder, "models.json"), ModelsJson("m", $"\"path\": \"{new string('p', 80_000)}\""));
        File.WriteAllText(Path.Combine(folder, "tasks.json"), Tasks);

        var (run, runs, _) = await Bench(folder);

        AssertUserError(run, $"{Path.Combine(folder, "models.json")}: $.models[0].path: expected a string of at most 4096 characters; found 80000 characters");
        Assert.False(Directory.Exists(runs));
    }

    [Fact]
    public async Task Bench_refuses_invalid_utf8_in_models_json_naming_the_byte_offset()
    {
        var folder = tiny.NewFolder("utf8");
        var prefix = Encoding.UTF8.GetBytes("""{ "models": [ { "name": "m""");
        File.WriteAllBytes(Path.Combine(folder, "models.json"),
            [.. prefix, 0xFF, .. Encoding.UTF8.GetBytes("\", \"backend\": \"local\", \"path\": " + JsonSerializer.Serialize(tiny.Model) + " } ] }")]);
        File.WriteAllText(Path.Combine(folder, "tasks.json"), Tasks);

        var (run, runs, _) = await Bench(folder);

        AssertUserError(run, $"{Path.Combine(folder, "models.json")}: not valid UTF-8: byte 0xFF at byte offset {prefix.Length}");
        Assert.False(Directory.Exists(runs));
    }

    // ── 9: validated before anything is written ─────────────────────────────────────────────────────────────────

    [Fact]
    public async Task Train_with_a_max_seq_len_no_prompt_fits_exits_2_naming_file_and_path_before_writing_metrics()
    {
        var folder = tiny.NewFolder("seqlen");
        var output = Path.Combine(folder, "out");
        var path = Path.Combine(folder, "exp.json");
        File.WriteAllText(path, $$"""{ "model": { "init": "tiny" }, "data": { "tasks": [ { "task": "chain_sum", "level": 0 } ] }, "sft": { "steps": 2, "batch_size": 1, "max_seq_len": 4 }, "output": {{JsonSerializer.Serialize(output)}} }""");

        var run = await CliRun.Of("train", path, "--threads", "1");

        AssertUserError(run, $"{path}: $.sft.max_seq_len: expected at least ", "; found 4");
        Assert.False(File.Exists(Path.Combine(output, "metrics.jsonl")));
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Bench_with_a_missing_model_path_exits_2_before_the_run_folder_exists()
    {
        var folder = tiny.NewFolder("missing");
        File.WriteAllText(Path.Combine(folder, "models.json"), ModelsJson("m", "\"path\": \"no-such-model\""));
        File.WriteAllText(Path.Combine(folder, "tasks.json"), Tasks);

        var (run, runs, results) = await Bench(folder);

        AssertUserError(run, $"{Path.Combine(folder, "models.json")}: $.models[0].path: expected an existing model folder; found '{Path.Combine(folder, "no-such-model")}' (no such folder)");
        Assert.False(Directory.Exists(runs));
        Assert.False(Directory.Exists(results));
    }

    [Fact]
    public async Task Bench_with_a_model_whose_config_json_is_beyond_the_limits_exits_2_before_the_run_folder_exists()
    {
        var folder = tiny.NewFolder("limits");
        var model = CopyOfTiny();
        EditConfig(model, c => c["vocab_size"] = 1 << 23);
        File.WriteAllText(Path.Combine(folder, "models.json"), ModelsJson("m", $"\"path\": {JsonSerializer.Serialize(model)}"));
        File.WriteAllText(Path.Combine(folder, "tasks.json"), Tasks);

        var (run, runs, _) = await Bench(folder);

        AssertUserError(run, $"{Path.Combine(folder, "models.json")}: $.models[0].path: expected a model folder the engine can load; found {Path.Combine(model, "config.json")}: $.vocab_size");
        Assert.False(Directory.Exists(runs));
    }

    [Fact]
    public async Task Train_models_with_a_missing_model_path_exits_2_before_training()
    {
        var folder = tiny.NewFolder("train-models");
        File.WriteAllText(Path.Combine(folder, "models.json"), ModelsJson("m", "\"path\": \"no-such-model\""));

        var run = await CliRun.Of("train", "--models-file", Path.Combine(folder, "models.json"));

        AssertUserError(run, $"{Path.Combine(folder, "models.json")}: $.models[0].path: expected an existing model folder");
    }

    [Fact]
    public async Task Slurm_with_a_missing_model_path_exits_2_and_writes_no_manifest()
    {
        var folder = tiny.NewFolder("slurm-missing");
        File.WriteAllText(Path.Combine(folder, "models.json"), ModelsJson("m", "\"path\": \"no-such-model\""));
        File.WriteAllText(Path.Combine(folder, "tasks.json"), Tasks);
        var configs = Directory.CreateDirectory(Path.Combine(folder, "configs")).FullName;

        var run = await CliRun.Of("slurm", "--models-file", Path.Combine(folder, "models.json"), "--tasks-file", Path.Combine(folder, "tasks.json"),
            "--task-configs", configs, "--runs", Path.Combine(folder, "runs"), "--output", Path.Combine(folder, "slurm"));

        AssertUserError(run, "$.models[0].path: expected an existing model folder");
        Assert.False(Directory.Exists(Path.Combine(folder, "runs")));
        Assert.False(Directory.Exists(Path.Combine(folder, "slurm")));
    }
}
