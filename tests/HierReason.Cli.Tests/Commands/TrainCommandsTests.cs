using System.Text.Json.Nodes;

namespace HierReason.Cli.Tests.Commands;

public sealed class TrainCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-train-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Experiment(string sft, int keepLast = 1)
    {
        var output = Path.Combine(_dir, "out").Replace("\\", "/");
        var path = Path.Combine(_dir, "exp.json");
        File.WriteAllText(path, $$"""
            {
              "model": { "init": "tiny", "seed": 0 },
              "data": { "tasks": [ { "task": "chain_sum", "level": 0 } ] },
              "sft": {{sft}},
              "output": "{{output}}",
              "checkpoint": { "every": 1, "keep_last": {{keepLast}} }
            }
            """);
        return path;
    }

    [Fact]
    public async Task A_config_error_exits_2_naming_file_and_path()
    {
        var path = Experiment("""{ "steps": "many" }""");
        var run = await CliRun.Of("train", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{path}: $.sft.steps: expected an integer", run.Err);
    }

    [Fact]
    public async Task Train_writes_metrics_checkpoints_and_the_final_model_and_resume_continues()
    {
        var path = Experiment("""{ "steps": 3, "batch_size": 2, "max_seq_len": 320, "warmup_steps": 1 }""");
        var first = await CliRun.Of("train", path, "--max-steps", "2", "--threads", "1");
        Assert.True(first.ExitCode == 0, first.Err);
        var output = Path.Combine(_dir, "out");
        Assert.Equal(2, File.ReadAllLines(Path.Combine(output, "metrics.jsonl")).Length);
        Assert.True(Directory.Exists(Path.Combine(output, "checkpoint-2")));

        // A line a killed run wrote after its last checkpoint is dropped on resume, not repeated.
        File.AppendAllText(Path.Combine(output, "metrics.jsonl"), "{\"step\":3,\"loss\":9}\n");
        var second = await CliRun.Of("train", path, "--resume", "--threads", "1");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("resuming from", second.Out);
        var lines = File.ReadAllLines(Path.Combine(output, "metrics.jsonl"));
        Assert.Equal([1, 2, 3], lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()));
        Assert.DoesNotContain(lines, l => l.Contains("\"loss\":9", StringComparison.Ordinal));
        Assert.Equal(["checkpoint-3"], Directory.GetDirectories(output, "checkpoint-*").Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(output, "model.safetensors")) && File.Exists(Path.Combine(output, "tokenizer_config.json")));
        // The resumed process's own step, with how much of its work carried loss and its FLOP ratios.
        var summary = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(output, "training_summary.json")))!;
        Assert.Equal(1, (int)summary["steps"]!);
        Assert.Equal(3, (int)summary["final_step"]!);
        Assert.InRange((double)summary["useful_fraction"]!, 0.01, 1.0);
        Assert.True((double)summary["hardware_flops_ratio"]! > (double)summary["model_flops_ratio"]!);
        Assert.Contains("carry loss", second.Out);

        // The finished folder's training_manifest.json matches the config: --if-changed trains nothing.
        var again = await CliRun.Of("train", path, "--if-changed");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("up to date", again.Out);
        var models = Path.Combine(_dir, "models.json");
        File.WriteAllText(models, """{ "models": [ { "name": "mine", "backend": "local", "train": "exp.json" } ] }""");
        var viaModels = await CliRun.Of("train", "--models-file", models, "--if-changed");
        Assert.True(viaModels.ExitCode == 0, viaModels.Err);
        Assert.Contains("up to date", viaModels.Out);
    }

    private string Output => Path.Combine(_dir, "out");

    private int[] MetricSteps() =>
        File.ReadAllLines(Path.Combine(Output, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!["step"]!.GetValue<int>()).ToArray();

    private string[] Checkpoints() =>
        Directory.GetDirectories(Output, "checkpoint-*").Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToArray();

    private JsonNode Manifest() => JsonNode.Parse(File.ReadAllText(Path.Combine(Output, "training_manifest.json")))!;

    private const string ThreeSteps = """{ "steps": 3, "batch_size": 1, "max_seq_len": 320, "warmup_steps": 1, "learning_rate": 0.001 }""";

    [Theory]
    [InlineData("--resume,--overwrite", "--resume and --overwrite: give one")]
    [InlineData("--allow-config-change", "--allow-config-change: only with --resume")]
    [InlineData("--overwrite,--allow-config-change", "--allow-config-change: only with --resume")]
    [InlineData("--if-changed,--overwrite", "--if-changed decides itself")]
    [InlineData("--if-changed,--resume", "--if-changed decides itself")]
    public async Task Contradictory_output_flags_exit_2_before_anything_is_written(string flags, string message)
    {
        var path = Experiment(ThreeSteps);
        var run = await CliRun.Of(["train", path, .. flags.Split(',')]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Err);
        Assert.False(Directory.Exists(Output));
    }

    [Fact]
    public async Task A_max_steps_run_is_marked_partial_and_if_changed_resumes_it_instead_of_calling_it_up_to_date()
    {
        var path = Experiment(ThreeSteps);
        Assert.Equal(0, (await CliRun.Of("train", path, "--max-steps", "1", "--threads", "1")).ExitCode);
        var partial = Manifest();

        var resumed = await CliRun.Of("train", path, "--if-changed", "--threads", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Err);
        Assert.DoesNotContain("up to date", resumed.Out);
        Assert.Equal([1, 2, 3], MetricSteps());
        Assert.Contains("partial (1 of 3 steps); resuming from checkpoint-1", resumed.Out);
        Assert.Equal((1, 3, true), ((int)partial["steps"]!, (int?)partial["target_steps"], (bool?)partial["partial"]));
        var complete = Manifest();
        Assert.Equal((3, 3, false), ((int)complete["steps"]!, (int)complete["target_steps"]!, (bool)complete["partial"]!));

        Assert.Contains("up to date", (await CliRun.Of("train", path, "--if-changed")).Out);
    }

    [Fact]
    public async Task Only_models_naming_a_composite_trains_the_models_it_uses_and_what_they_start_from()
    {
        // base → child (model.from base's folder); the composite uses child as planner and base as worker; other is unrelated.
        string Exp(string name, string from) =>
            $$"""{ "model": {{from}}, "data": { "tasks": [ { "task": "chain_sum", "level": 0 } ] }, "sft": {{OneStep}}, "output": "{{Path.Combine(_dir, name).Replace("\\", "/")}}" }""";
        File.WriteAllText(Path.Combine(_dir, "base.json"), Exp("base", """{ "init": "tiny", "seed": 0 }"""));
        File.WriteAllText(Path.Combine(_dir, "child.json"), Exp("child", $$"""{ "from": "{{Path.Combine(_dir, "base").Replace("\\", "/")}}" }"""));
        File.WriteAllText(Path.Combine(_dir, "other.json"), Exp("other", """{ "init": "tiny", "seed": 1 }"""));
        var models = Path.Combine(_dir, "models.json");
        File.WriteAllText(models, """
            { "models": [
              { "name": "base", "backend": "local", "train": "base.json" },
              { "name": "other", "backend": "local", "train": "other.json" },
              { "name": "child", "backend": "local", "train": "child.json", "bench": false },
              { "name": "pw", "strategy": "planner_worker", "planner": "child", "worker": "base" } ] }
            """);

        var run = await CliRun.Of("train", "--models-file", models, "--models", "pw", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.True(File.Exists(Path.Combine(_dir, "base", "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(_dir, "child", "model.safetensors")));
        Assert.False(Directory.Exists(Path.Combine(_dir, "other")));
        Assert.True(run.Out.IndexOf("base: training", StringComparison.Ordinal) < run.Out.IndexOf("child: training", StringComparison.Ordinal), run.Out);

        // Naming only the child trains what it starts from too (here already up to date).
        var child = await CliRun.Of("train", "--models-file", models, "--models", "child", "--if-changed");
        Assert.Contains("base: up to date", child.Out);
        Assert.Contains("child: up to date", child.Out);
        Assert.DoesNotContain("other", child.Out);
    }

    private const string OneStep = """{ "steps": 1, "batch_size": 1, "max_seq_len": 320, "warmup_steps": 0 }""";

    [Fact]
    public async Task Train_models_if_changed_trains_a_fresh_folder_skips_a_current_one_and_retrains_a_changed_experiment_from_scratch()
    {
        var path = Experiment(ThreeSteps, keepLast: 5);
        var models = Path.Combine(_dir, "models.json");
        File.WriteAllText(models, """{ "models": [ { "name": "mine", "backend": "local", "train": "exp.json" } ] }""");

        var first = await CliRun.Of("train", "--models-file", models, "--if-changed", "--threads", "1");
        Assert.True(first.ExitCode == 0, first.Err);
        Assert.Equal(["checkpoint-1", "checkpoint-2", "checkpoint-3"], Checkpoints());
        Assert.Contains("up to date", (await CliRun.Of("train", "--models-file", models, "--if-changed")).Out);

        // A changed experiment is a new run: none of the old run's checkpoints or metrics may survive into it.
        Experiment("""{ "steps": 2, "batch_size": 1, "max_seq_len": 320, "warmup_steps": 1 }""", keepLast: 5);
        var changed = await CliRun.Of("train", "--models-file", models, "--if-changed", "--threads", "1");
        Assert.True(changed.ExitCode == 0, changed.Err);
        Assert.Equal(["checkpoint-1", "checkpoint-2"], Checkpoints());
        Assert.Contains("training from scratch", changed.Out);
        Assert.Equal([1, 2], MetricSteps());
        Assert.Equal(2, (int)Manifest()["steps"]!);
        Assert.Contains("up to date", (await CliRun.Of("train", "--models-file", models, "--if-changed")).Out);
    }

    [Fact]
    public async Task A_rerun_into_a_trained_folder_exits_2_naming_resume_and_overwrite_and_overwrite_starts_over()
    {
        var path = Experiment(ThreeSteps, keepLast: 5);
        Assert.Equal(0, (await CliRun.Of("train", path, "--threads", "1")).ExitCode);
        var metrics = File.ReadAllText(Path.Combine(Output, "metrics.jsonl"));

        var again = await CliRun.Of("train", path, "--threads", "1");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains($"{Output}: holds an earlier run", again.Err);
        Assert.Contains("--resume", again.Err);
        Assert.Contains("--overwrite", again.Err);
        Assert.DoesNotContain("   at ", again.Err);
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(Output, "metrics.jsonl")));

        Experiment("""{ "steps": 1, "batch_size": 1, "max_seq_len": 320, "warmup_steps": 1 }""", keepLast: 5);
        var overwritten = await CliRun.Of("train", path, "--overwrite", "--threads", "1");
        Assert.True(overwritten.ExitCode == 0, overwritten.Err);
        Assert.Equal(["checkpoint-1"], Checkpoints());
        Assert.Equal([1], MetricSteps());
        Assert.False(Directory.Exists(Path.Combine(Output, ".overwriting")));
    }

    [Fact]
    public async Task Resume_under_a_changed_experiment_exits_2_naming_the_change_and_allow_config_change_continues_with_a_warning()
    {
        var path = Experiment(ThreeSteps);
        Assert.Equal(0, (await CliRun.Of("train", path, "--max-steps", "1", "--threads", "1")).ExitCode);
        Experiment("""{ "steps": 3, "batch_size": 1, "max_seq_len": 320, "warmup_steps": 1, "learning_rate": 0.01 }""");

        var refused = await CliRun.Of("train", path, "--resume", "--threads", "1");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("checkpoint-1: trained under another experiment", refused.Err);
        Assert.Contains("$.sft.learning_rate: 0.001 → 0.01", refused.Err);
        Assert.Contains("--overwrite", refused.Err);
        Assert.Contains("--allow-config-change", refused.Err);
        Assert.Equal([1], MetricSteps());

        var allowed = await CliRun.Of("train", path, "--resume", "--allow-config-change", "--threads", "1");
        Assert.True(allowed.ExitCode == 0, allowed.Err);
        Assert.Contains("WARNING", allowed.Err);
        Assert.Contains("$.sft.learning_rate", allowed.Err);
        Assert.Equal([1, 2, 3], MetricSteps());
        var change = Manifest()["config_changes"]!.AsArray().Single()!;
        Assert.Equal(1, (int)change["step"]!);
        Assert.Contains("$.sft.learning_rate", (string)change["what"]!);
        // A model trained partly under another experiment is not that experiment's model.
        var ifChanged = await CliRun.Of("train", path, "--if-changed", "--threads", "1");
        Assert.Contains("trained partly under another experiment", ifChanged.Out);
        Assert.Null(Manifest()["config_changes"]);
    }
}
