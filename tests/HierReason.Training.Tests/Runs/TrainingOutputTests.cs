using System.Text.Json.Nodes;
using HierReason.Training.Checkpoints;
using HierReason.Training.Experiments;
using HierReason.Training.Runs;
using HierReason.Training.Sft;

namespace HierReason.Training.Tests.Runs;

/// <summary>How SFT runs of the fresh tiny model treat an output folder that holds an earlier run: refuse, resume, or clear it.</summary>
public sealed class TrainingOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-train-output-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Output => Path.Combine(_dir, "out");

    private ExperimentConfig Experiment(int steps, double learningRate = 0.003, int evalEvery = 0)
    {
        var path = Path.Combine(_dir, "exp.json");
        File.WriteAllText(path, $$"""
            {
              "name": "exp",
              "model": { "init": "tiny", "seed": 1 },
              "data": { "tasks": [ { "task": "chain_sum", "level": 0 } ] },
              "sft": { "steps": {{steps}}, "batch_size": 1, "max_seq_len": 320, "learning_rate": {{learningRate}}, "warmup_steps": 1 },
              "eval": { "every": {{evalEvery}}, "n": 2 },
              "output": "{{Output.Replace("\\", "/")}}",
              "checkpoint": { "every": 1, "keep_last": 5 }
            }
            """);
        return ExperimentConfig.Load(path);
    }

    private static void Train(ExperimentConfig config, RunStart? start = null, int? maxSteps = null)
    {
        using var run = SftRun.Create(config, start);
        run.Run(maxSteps);
    }

    private int[] MetricSteps() =>
        File.ReadAllLines(Path.Combine(Output, SftRun.MetricsFileName)).Select(l => JsonNode.Parse(l)!["step"]!.GetValue<int>()).ToArray();

    private string[] Checkpoints() =>
        Directory.GetDirectories(Output, CheckpointStore.Prefix + "*").Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Every_entry_a_finished_run_leaves_is_a_run_entry_and_overwrite_clears_them_all_but_keeps_the_users_own_files()
    {
        var config = Experiment(steps: 2, evalEvery: 1);
        Train(config);
        File.WriteAllText(Path.Combine(Output, "notes.txt"), "mine");
        var written = Directory.EnumerateFileSystemEntries(Output).Select(p => Path.GetFileName(p)!).Where(n => n != "notes.txt").Order(StringComparer.Ordinal).ToList();
        Assert.Contains("experiment.resolved.json", written);
        Assert.Contains("eval.jsonl", written);
        Assert.Equal(written, TrainingOutput.RunEntries(Output));

        // Nothing is cleared until the run writes: a run built and dropped (a config error later, a Ctrl+C) leaves the folder as it was.
        using (SftRun.Create(config, RunStart.Overwrite)) { }
        Assert.Equal(written, TrainingOutput.RunEntries(Output));

        Train(Experiment(steps: 1), RunStart.Overwrite);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(Output, "notes.txt")));
        Assert.Equal(["checkpoint-1"], Checkpoints());
        Assert.Equal([1], MetricSteps());
        Assert.False(File.Exists(Path.Combine(Output, SftRun.EvalFileName)), "the earlier run's evaluations survived the overwrite");
    }

    [Fact]
    public void An_overwrite_clears_once_so_a_second_run_call_on_the_same_run_continues_the_first()
    {
        var config = Experiment(steps: 2);
        Train(config);
        using var run = SftRun.Create(config, RunStart.Overwrite);
        run.Run(maxSteps: 1);
        run.Run();
        Assert.Equal([1, 2], MetricSteps());
        Assert.Equal(["checkpoint-1", "checkpoint-2"], Checkpoints());
    }

    [Theory]
    [InlineData("metrics.jsonl", true)]
    [InlineData(".metrics.jsonl.4242.0123456789abcdef0123456789abcdef.tmp", true)]
    [InlineData("checkpoint-3.tmp", true)]
    [InlineData("model-00001-of-00002.safetensors", true)]
    [InlineData("model.safetensors.tmp-1a2b3c4d", true)]
    [InlineData("training_curves.png.tmp.png", true)]
    [InlineData(".overwriting", true)]
    [InlineData("notes.txt", false)]
    [InlineData("config.yaml", false)]
    public void Run_entries_include_temp_files_of_what_a_run_writes_and_nothing_else(string name, bool expected) =>
        Assert.Equal(expected, TrainingOutput.IsRunEntry(name));

    [Fact]
    public void An_interrupted_overwrite_is_never_taken_for_a_run_and_the_next_overwrite_finishes_it()
    {
        var config = Experiment(steps: 2);
        Train(config);
        Assert.True(TrainingManifest.IsUpToDate(config));
        // What a crash part-way through clearing leaves: the manifest and the metrics moved aside, the rest still in place.
        var clearing = Directory.CreateDirectory(Path.Combine(Output, TrainingOutput.ClearingFolderName)).FullName;
        foreach (var name in new[] { TrainingManifest.FileName, SftRun.MetricsFileName })
            File.Move(Path.Combine(Output, name), Path.Combine(clearing, name));

        Assert.False(TrainingManifest.IsUpToDate(config));
        foreach (var start in new[] { RunStart.Fresh, RunStart.Resume, new RunStart(OutputMode.Resume, AllowConfigChange: true) })
        {
            var error = Assert.Throws<TrainingException>(() => SftRun.Create(config, start));
            Assert.Contains("an --overwrite of this folder was interrupted", error.Message);
        }
        Assert.Equal(RunStart.Overwrite, IfChangedPlan.For(config).Start);

        Train(config, RunStart.Overwrite, maxSteps: 1);
        Assert.False(Directory.Exists(clearing));
        Assert.Equal(["checkpoint-1"], Checkpoints());
        Assert.Equal([1], MetricSteps());
    }

    [Fact]
    public void A_fresh_run_refuses_a_folder_with_checkpoints_alone_before_building_anything()
    {
        var config = Experiment(steps: 2);
        Train(config, maxSteps: 1);
        foreach (var name in TrainingOutput.RunEntries(Output).Where(n => !n.StartsWith(CheckpointStore.Prefix, StringComparison.Ordinal)))
        {
            var path = Path.Combine(Output, name);
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else File.Delete(path);
        }

        var error = Assert.Throws<TrainingException>(() => SftRun.Create(config));
        Assert.Equal($"{Output}: holds an earlier run (checkpoint-1); pass --resume to continue it from its newest checkpoint, or --overwrite to delete its training outputs and start over",
            error.Message);
    }

    [Fact]
    public void Resume_refuses_a_checkpoint_of_a_changed_experiment_naming_the_change_and_both_ways_on()
    {
        Train(Experiment(steps: 2), maxSteps: 1);
        var changed = Experiment(steps: 2, learningRate: 0.001);

        var error = Assert.Throws<TrainingException>(() => SftRun.Create(changed, RunStart.Resume));
        Assert.StartsWith(Path.Combine(Output, "checkpoint-1") + ": trained under another experiment", error.Message);
        Assert.Contains("$.sft.learning_rate: 0.003 → 0.001", error.Message);
        Assert.Contains("pass --overwrite to start over, or --allow-config-change", error.Message);
        Assert.Equal(RunStart.Overwrite, IfChangedPlan.For(changed).Start);
        // The same experiment resumes, and so does --if-changed.
        Assert.Equal(RunStart.Resume, IfChangedPlan.For(Experiment(steps: 2)).Start);
    }

    [Fact]
    public void A_checkpoint_without_an_origin_is_refused_on_resume_and_continued_when_a_change_is_allowed_with_the_change_recorded()
    {
        var config = Experiment(steps: 2);
        Train(config, maxSteps: 1);
        // A checkpoint written before checkpoints recorded their experiment.
        var statePath = Path.Combine(Output, "checkpoint-1", TrainerState.FileName);
        var state = JsonNode.Parse(File.ReadAllText(statePath))!.AsObject();
        Assert.True(state.Remove("origin"), "the checkpoint records no origin");
        File.WriteAllText(statePath, state.ToJsonString());

        var error = Assert.Throws<TrainingException>(() => SftRun.Create(config, RunStart.Resume));
        Assert.Contains("records no experiment hash", error.Message);

        using (var run = SftRun.Create(config, new RunStart(OutputMode.Resume, AllowConfigChange: true)))
        {
            Assert.Equal(1, run.ConfigChange!.Step);
            run.Run();
        }
        var manifest = TrainingManifest.TryLoad(Output)!;
        var change = Assert.Single(manifest.ConfigChanges!);
        Assert.Equal((1, null, manifest.ConfigSha256), (change.Step, change.FromConfigSha256, change.ToConfigSha256));
        Assert.False(TrainingManifest.IsUpToDate(config));
        // Later checkpoints carry the change on, so a resume from them still knows.
        Assert.Single(TrainerState.Load(Path.Combine(Output, "checkpoint-2")).Origin!.ConfigChanges!);
    }
}
