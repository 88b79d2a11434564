using System.Text.Json.Nodes;
using HierReason.Cli.Commands;
using HierReason.Core;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Core.Tasks;
using HierReason.Harness.Config;
using HierReason.Harness.Perf;
using HierReason.Harness.Pipeline;
using HierReason.Harness.Running;
using HierReason.Harness.Scheduling;
using HierReason.Harness.Tests.Running;

namespace HierReason.Harness.Tests.Pipeline;

/// <summary>The benchmark pipeline run directly (no CLI): real worker processes on a tiny model, or the in-process synthetic launcher.</summary>
public sealed class BenchmarkPipelineTests(WorkerFixture fixture) : IClassFixture<WorkerFixture>
{
    private static readonly IReadOnlyDictionary<string, string> Packages = new Dictionary<string, string> { ["HierReason"] = "test" };

    private BenchmarkRequest Request(string name, string tasksJson) => new()
    {
        ModelsFile = fixture.ModelsFile,
        TasksFile = fixture.Dir.Write(name + "-tasks.json", tasksJson),
        TaskConfigs = RepoPaths.TaskConfigs,
        RunsRoot = fixture.Dir.Combine(name, "runs"),
        ResultsFolder = fixture.Dir.Combine(name, "results"),
        Threads = 1,
    };

    [Fact]
    public async Task A_plan_runs_through_workers_into_the_run_folder_and_results_and_a_filtered_rerun_adopts_them()
    {
        var request = Request("full", """{ "tasks": [ { "task": "chain_sum", "level": 0 }, { "task": "leg_counting", "level": 0 } ], "defaults": { "n": 2 } }""");
        var checkedModels = new List<string>();
        var pipeline = new BenchmarkPipeline(TaskRegistry.Default, (set, models) =>
        {
            var list = models.ToList();
            checkedModels.AddRange(list.Select(m => m.Name));
            ModelEntryCheck.Validate(set, list);
        }, Packages);

        var plan = pipeline.Plan(request);
        Assert.Equal(["tiny"], checkedModels);
        Assert.False(Directory.Exists(request.RunsRoot), "planning wrote something");
        var observer = new RecordingObserver();
        var outcome = await pipeline.RunAsync(plan, observer);

        Assert.False(outcome.Cancelled);
        Assert.Equal(0, outcome.Adopted);
        Assert.All(outcome.Results, r => Assert.True(r.IsSuccess, r.Error));
        Assert.Equal(["chain_sum", "leg_counting"], outcome.Results.Select(r => r.Task).Order(StringComparer.Ordinal));
        Assert.Equal("prepared 0", observer.Events[0]);
        Assert.Equal(2, observer.Events.Count(e => e.StartsWith("started ", StringComparison.Ordinal)));
        Assert.Equal(2, observer.Events.Count(e => e.StartsWith("succeeded ", StringComparison.Ordinal)));
        Assert.Contains(observer.WorkerLines, l => l.Contains(": batch 1/1", StringComparison.Ordinal));

        // The run folder: run.json, the manifest with paths relative to it, and per job its files.
        var run = plan.Run;
        Assert.Equal(Path.Combine(Path.GetFullPath(request.RunsRoot), Path.GetFileName(run.Folder)), run.Folder);
        Assert.Equal(["chain_sum (level 0)", "leg_counting (level 0)"], RunManifest.Read(run).Tasks);
        var lines = File.ReadAllLines(run.ManifestFile).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(plan.Jobs.Select(j => $"jobs/{j.Key}.json").Order(StringComparer.Ordinal), lines.Select(l => (string)l["result_path"]!).Order(StringComparer.Ordinal));
        foreach (var job in plan.Jobs)
        {
            Assert.True(File.Exists(run.JobFilePath(job.Key)));
            Assert.True(File.Exists(run.LogPath(job.Key)));
            Assert.Equal(2, File.ReadAllLines(run.SamplesPath(job.Key)).Length);
            Assert.NotNull(FinishedResults.Of(job));
        }

        // The results folder: what bench writes.
        var collected = outcome.Collected!;
        Assert.Equal([("chain_sum", "tiny", 2), ("leg_counting", "tiny", 2)], collected.Summary.Rows.Select(r => (r.Task, r.Model, r.N)));
        Assert.Equal("test", collected.Summary.Run.Packages["HierReason"]);
        Assert.StartsWith(Path.Combine(request.ResultsFolder, "results_all_tasks_"), collected.Files[0], StringComparison.Ordinal);
        Assert.All(collected.Files, f => Assert.True(File.Exists(f), f));
        Assert.Contains(collected.Files, f => f.EndsWith("summary.md", StringComparison.Ordinal));
        Assert.Equal(2, collected.Files.Count(f => Path.GetFileName(f).StartsWith("comparison_", StringComparison.Ordinal)));

        // Only chain_sum: another run folder, whose job is adopted from the first run instead of run again.
        var filtered = pipeline.Plan(request with { OnlyTasks = ["chain_sum"] });
        Assert.NotEqual(run, filtered.Run);
        var again = new RecordingObserver();
        var second = await pipeline.RunAsync(filtered, again);

        Assert.Equal(1, second.Adopted);
        Assert.Equal(["prepared 1", "skipped chain_sum"], again.Events);
        Assert.Equal(outcome.Results.Single(r => r.Task == "chain_sum"), Assert.Single(second.Results));
        Assert.Equal(File.ReadAllLines(run.SamplesPath(filtered.Jobs[0].Key)), File.ReadAllLines(filtered.Run.SamplesPath(filtered.Jobs[0].Key)));
    }

    [Fact]
    public void A_model_check_that_refuses_stops_before_anything_is_written_and_a_dry_run_plan_checks_nothing()
    {
        var request = Request("refused", """{ "tasks": [ { "task": "chain_sum", "level": 0 } ], "defaults": { "n": 2 } }""");
        var calls = 0;
        var pipeline = new BenchmarkPipeline(TaskRegistry.Default, (set, _) =>
        {
            calls++;
            throw new ConfigException(set.File, "$.models[0].path", "an existing model folder", "'nowhere' (no such folder)");
        }, Packages);

        var e = Assert.Throws<ConfigException>(() => pipeline.Plan(request));
        Assert.Contains("$.models[0].path", e.Message, StringComparison.Ordinal);

        var plan = pipeline.Plan(request, checkModels: false);
        Assert.Equal(1, calls);
        Assert.Single(plan.Jobs);
        Assert.Equal("cpu:0", Assert.Single(Assert.Single(plan.Queues).Jobs).Device);
        Assert.False(Directory.Exists(request.RunsRoot));
        Assert.False(Directory.Exists(request.ResultsFolder));
    }

    [Theory]
    [InlineData("slots", "--slots-per-device: expected a positive integer; found 0")]
    [InlineData("batch", "--batch-size: expected a positive integer; found 0")]
    [InlineData("retries", "--retries: expected an integer in [0, 100]; found -1")]
    [InlineData("timeout", "--timeout: expected a positive number of seconds; found 0")]
    [InlineData("schedule", "--schedule: expected round-robin or affinity; found 'fastest'")]
    public void Bad_options_are_user_errors_naming_the_option_and_write_nothing(string option, string message)
    {
        var request = Request("options-" + option, """{ "tasks": [ { "task": "chain_sum", "level": 0 } ], "defaults": { "n": 2 } }""");
        request = option switch
        {
            "slots" => request with { SlotsPerDevice = 0 },
            "batch" => request with { BatchSize = 0 },
            "retries" => request with { Retries = -1 },
            "timeout" => request with { TimeoutSeconds = 0 },
            _ => request with { Schedule = "fastest" },
        };
        var pipeline = new BenchmarkPipeline(TaskRegistry.Default, (_, _) => { }, Packages);

        Assert.Equal(message, Assert.Throws<HierReasonException>(() => pipeline.Plan(request)).Message);
        Assert.False(Directory.Exists(request.RunsRoot));
    }

    [Fact]
    public async Task A_cancelled_run_keeps_its_run_folder_and_collects_nothing()
    {
        var request = Request("cancelled", """{ "tasks": [ { "task": "chain_sum", "level": 0 } ], "defaults": { "n": 2 } }""");
        // A worker that takes a minute to load: the run is cancelled as soon as it starts.
        var pipeline = new BenchmarkPipeline(TaskRegistry.Default, (_, _) => { }, Packages, (_, _) => new SyntheticLauncher(loadMs: 60_000));
        using var cancel = new CancellationTokenSource();
        var observer = new RecordingObserver(onStarted: () => cancel.Cancel());

        var outcome = await pipeline.RunAsync(pipeline.Plan(request), observer, cancel.Token);

        Assert.True(outcome.Cancelled);
        Assert.Empty(outcome.Results);
        Assert.Equal(["prepared 0", "started chain_sum"], observer.Events);
        Assert.True(File.Exists(outcome.Plan.Run.ManifestFile));
        Assert.False(Directory.Exists(request.ResultsFolder));
    }

    /// <summary>What the pipeline told its observer, in order.</summary>
    private sealed class RecordingObserver(Action? onStarted = null) : IBenchmarkObserver
    {
        public List<string> Events { get; } = [];

        public List<string> WorkerLines { get; } = [];

        public void Prepared(BenchmarkPlan plan, int adopted)
        {
            lock (Events) Events.Add($"prepared {adopted}");
        }

        public void JobChanged(JobEvent e)
        {
            lock (Events) Events.Add($"{e.Kind.ToString().ToLowerInvariant()} {e.Job.Task}");
            if (e.Kind == JobEventKind.Started) onStarted?.Invoke();
        }

        public void WorkerOutput(WorkUnit unit, string line)
        {
            lock (WorkerLines) WorkerLines.Add(line);
        }
    }
}
