namespace HierReason.Cli.Tests.Commands;

public sealed class TrainCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-train-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Experiment(string sft)
    {
        var output = Path.Combine(_dir, "out").Replace("\\", "/");
        var path = Path.Combine(_dir, "exp.json");
        File.WriteAllText(path, $$"""
            {
              "model": { "init": "tiny", "seed": 0 },
              "data": { "tasks": [ { "task": "chain_sum", "level": 0 } ] },
              "sft": {{sft}},
              "output": "{{output}}",
              "checkpoint": { "every": 1, "keep_last": 1 }
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
        var viaModels = await CliRun.Of("train", "--models", models, "--if-changed");
        Assert.True(viaModels.ExitCode == 0, viaModels.Err);
        Assert.Contains("up to date", viaModels.Out);
    }
}
