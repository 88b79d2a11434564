using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Core.Tasks;
using HierReason.Harness.Aggregation;
using HierReason.Harness.Config;
using HierReason.Harness.Jobs;
using HierReason.Harness.Running;
using HierReason.Harness.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason bench</c>: validates models.json and tasks.json, expands the task × model × seed matrix, places jobs on
/// devices and runs each in a worker process, then aggregates into results JSON and summary.md. And <c>hierreason collect</c>.
/// </summary>
public static class BenchCommands
{
    /// <summary>Exit code when the run finished but some jobs failed.</summary>
    public const int JobsFailed = 1;

    /// <summary>Exit code after Ctrl+C (finished results are kept).</summary>
    public const int Cancelled = 130;

    public static Command Build(IServiceProvider services)
    {
        var models = new Option<string>("--models") { Description = "The models file.", DefaultValueFactory = _ => "models.json" };
        var tasks = new Option<string>("--tasks") { Description = "The task set file.", DefaultValueFactory = _ => "tasks.json" };
        var taskConfigs = new Option<string>("--task-configs") { Description = "Folder of task config files (<task>.json) the task set overlays.", DefaultValueFactory = _ => "tasks" };
        var gpus = new Option<string?>("--gpus") { Description = "GPU indices, e.g. 0,1,2,3 (default: nvidia-smi's GPUs, else CPU slots)." };
        var cpuSlots = new Option<int>("--cpu-slots") { Description = "CPU devices when there is no GPU.", DefaultValueFactory = _ => 1 };
        var slotsPerDevice = new Option<int>("--slots-per-device") { Description = "Workers running at once on each device.", DefaultValueFactory = _ => 1 };
        var schedule = new Option<string>("--schedule") { Description = "round-robin (a worker per job) or affinity (a worker per model and device; the model loads once).", DefaultValueFactory = _ => "round-robin" };
        var output = new Option<string>("--out") { Description = "Results folder.", DefaultValueFactory = _ => "artifacts/benchmark_results" };
        var runs = new Option<string>("--runs") { Description = "Folder of run folders (job results, samples, logs).", DefaultValueFactory = _ => "artifacts/runs" };
        var force = new Option<bool>("--force") { Description = "Rerun jobs whose result already exists." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the expanded jobs with device and key; run nothing." };
        var json = new Option<bool>("--json") { Description = "With --dry-run: print the jobs as JSON; else print the summary as JSON." };
        var onlyTasks = new Option<string?>("--only-tasks") { Description = "Run only these tasks (comma-separated names)." };
        var onlyModels = new Option<string?>("--only-models") { Description = "Run only these models (comma-separated names; a disabled model named here runs)." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds a job may take before its worker is killed.", DefaultValueFactory = _ => 7200 };
        var retries = new Option<int>("--retries") { Description = "Relaunches of a failed or timed-out job.", DefaultValueFactory = _ => 1 };
        var batchSize = new Option<int>("--batch-size") { Description = "Prompts per generation batch in the worker.", DefaultValueFactory = _ => 32 };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads per worker (default: 1 when several CPU slots share the machine, else all cores)." };
        var command = new Command("bench", "Benchmark models on tasks: the task × model × seed matrix, in worker processes on GPUs or CPU slots.")
        {
            models, tasks, taskConfigs, gpus, cpuSlots, slotsPerDevice, schedule, output, runs, force, dryRun, json, onlyTasks, onlyModels, timeout, retries, batchSize, threads,
        };
        command.SetAction(async (parse, invocationToken) =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var registry = services.GetRequiredService<TaskRegistry>();
            // Ctrl+C and SIGTERM stop the run cleanly (workers killed, finished results kept) instead of ending the process.
            using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(invocationToken);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
            void Interrupt(PosixSignalContext context)
            {
                context.Cancel = true;
                interrupted.Cancel();
            }
            var cancellationToken = interrupted.Token;

            // Everything is validated before anything is written or launched.
            var modelSet = ModelsFile.Load(parse.GetValue(models)!);
            var taskSet = TaskSetFile.Load(parse.GetValue(tasks)!, TaskConfigsOption.Directory(parse, taskConfigs), registry);
            var kind = JobScheduler.Parse(parse.GetValue(schedule)!);
            var devices = DeviceDiscovery.Resolve(parse.GetValue(gpus), parse.GetValue(cpuSlots));
            var slots = Positive(parse.GetValue(slotsPerDevice), "--slots-per-device");
            var batch = Positive(parse.GetValue(batchSize), "--batch-size");
            var retryCount = parse.GetValue(retries);
            if (retryCount is < 0 or > 100) throw new HierReasonException($"--retries: expected an integer in [0, 100]; found {retryCount}");
            var seconds = parse.GetValue(timeout);
            if (!(seconds > 0)) throw new HierReasonException($"--timeout: expected a positive number of seconds; found {seconds}");
            var workerThreads = parse.GetValue(threads) ?? (devices.Count * slots > 1 && devices.All(d => d.CudaVisibleDevices is null) ? 1 : 0);
            if (workerThreads < 0) throw new HierReasonException($"--threads: expected a non-negative integer; found {workerThreads}");

            var options = new MatrixOptions(Names(parse.GetValue(onlyTasks)), Names(parse.GetValue(onlyModels)), batch, workerThreads);
            // A dry run only plans (models may not be trained yet); a real run checks every model it will load before writing anything.
            if (!parse.GetValue(dryRun)) ModelEntryCheck.Validate(modelSet, ModelEntryCheck.Selected(modelSet, options.OnlyModels));
            var hasher = new CheckpointHasher(Path.Combine(parse.GetValue(runs)!, ".checkpoint-hashes.json"));
            var expanded = JobMatrix.Expand(taskSet, modelSet, options, hasher);
            var runId = JobMatrix.RunId(expanded);
            var runDirectory = Path.GetFullPath(Path.Combine(parse.GetValue(runs)!, runId));
            var jobs = JobMatrix.InRun(expanded, runDirectory);
            var queues = JobScheduler.Assign(jobs, devices, kind);

            if (parse.GetValue(dryRun))
            {
                PrintPlan(console, queues, runDirectory, parse.GetValue(json));
                return 0;
            }

            var taskNames = jobs.Select(j => j.Task).Distinct().ToList();
            var modelNames = jobs.Select(j => j.Model.Name).Distinct().ToList();
            Directory.CreateDirectory(Path.Combine(runDirectory, "jobs"));
            hasher.Save();
            new RunManifest(runId, taskNames, modelNames, devices.Select(d => d.Name).ToList(), kind == ScheduleKind.Affinity ? "affinity" : "round-robin", DateTimeOffset.UtcNow)
                .Write(runDirectory, queues.SelectMany(q => q.Jobs));

            var log = parse.GetValue(json) ? console.Error : console.Out;
            if (!parse.GetValue(force))
            {
                var adopted = FinishedResults.Adopt(Path.GetFullPath(parse.GetValue(runs)!), jobs);
                if (adopted > 0) log.WriteLine($"bench: {adopted} job(s) already finished in other runs; reusing their results");
            }
            var progress = new BenchProgress(queues, slots);
            var runner = new BenchmarkRunner(new ProcessJobLauncher(WorkerCommand.Resolve(), output: progress.WorkerOutput),
                new RunnerOptions(slots, TimeSpan.FromSeconds(seconds), retryCount, parse.GetValue(force)));
            log.WriteLine($"bench: {jobs.Count} job(s) ({taskNames.Count} task(s) × {modelNames.Count} model(s) × seeds) on {string.Join(", ", devices.Select(d => d.Name))}, {kind.ToString().ToLowerInvariant()} schedule; run folder {runDirectory}");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var results = await progress.RunAsync(console, log, onEvent => runner.RunAsync(queues, onEvent, cancellationToken));
            clock.Stop();

            if (cancellationToken.IsCancellationRequested)
            {
                log.WriteLine($"bench: cancelled; {results.Count(r => r.IsSuccess)} finished job result(s) kept in {runDirectory} (rerun the same command to resume)");
                return Cancelled;
            }

            var summary = RunCollector.Collect(runDirectory, Packages(), wallSeconds: clock.Elapsed.TotalSeconds);
            var written = ResultsWriter.Write(summary, parse.GetValue(output)!);
            if (parse.GetValue(json)) console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(summary, HierJson.Indented));
            else
            {
                console.Out.WriteLine();
                console.Out.Write(MarkdownSummary.Render(summary));
                console.Out.WriteLine();
                foreach (var path in written) console.Out.WriteLine("wrote " + path);
            }
            var failed = results.Where(r => !r.IsSuccess).ToList();
            foreach (var f in failed) console.Error.WriteLine($"failed: {f.Task} × {f.Model} seed {f.Seed} ({f.Key}): {f.Error}");
            return failed.Count == 0 ? 0 : JobsFailed;
        });
        return command;
    }

    /// <summary><c>hierreason collect --run &lt;dir&gt; [--out &lt;dir&gt;]</c>: aggregates a run folder's finished jobs (SLURM's last step).</summary>
    public static Command Collect(IServiceProvider services)
    {
        var run = new Option<string>("--run") { Description = "The run folder (artifacts/runs/<run-id>).", Required = true };
        var output = new Option<string>("--out") { Description = "Results folder.", DefaultValueFactory = _ => "artifacts/benchmark_results" };
        var command = new Command("collect", "Aggregate a run folder's job results into results JSON files and summary.md.") { run, output };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var directory = parse.GetValue(run)!;
            if (!Directory.Exists(directory)) throw new HierReasonException($"--run: {directory}: no such folder");
            var summary = RunCollector.Collect(directory, Packages());
            var written = ResultsWriter.Write(summary, parse.GetValue(output)!);
            console.Out.Write(MarkdownSummary.Render(summary));
            foreach (var path in written) console.Out.WriteLine("wrote " + path);
            return 0;
        });
        return command;
    }

    /// <summary>Versions recorded in the run metadata.</summary>
    public static IReadOnlyDictionary<string, string> Packages() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["HierReason"] = VersionAction.Version,
        ["TorchSharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
        [".NET"] = RuntimeInformation.FrameworkDescription,
    };

    private static void PrintPlan(CliConsole console, IReadOnlyList<DeviceQueue> queues, string runDirectory, bool json)
    {
        var jobs = queues.SelectMany(q => q.Units.Select((u, i) => (Queue: q, Unit: i, UnitJobs: u.Jobs))).SelectMany(x => x.UnitJobs.Select(j => (x.Queue, x.Unit, Job: j))).ToList();
        if (json)
        {
            var array = new JsonArray();
            foreach (var (queue, unit, job) in jobs)
                array.Add(new JsonObject
                {
                    ["key"] = job.Key,
                    ["task"] = job.Task,
                    ["model"] = job.Model.Name,
                    ["strategy"] = job.StrategyName,
                    ["seed"] = job.Seed,
                    ["split"] = job.Split,
                    ["n"] = job.N,
                    ["device"] = job.Device,
                    ["worker"] = unit,
                    ["result"] = job.ResultPath,
                });
            console.Out.WriteLine(array.ToJsonString(HierJson.Indented));
            return;
        }
        console.Out.WriteLine($"{jobs.Count} job(s); run folder {runDirectory}");
        foreach (var (_, unit, job) in jobs)
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{job.Device,-8} worker {unit,-3} {job.Key[..12]}  {job.Task} × {job.Model.Name}{(job.Strategy is { IsVanilla: false } s ? $" ({s.Name})" : "")} seed {job.Seed} n {job.N}"));
    }

    private static int Positive(int value, string option) =>
        value >= 1 ? value : throw new HierReasonException($"{option}: expected a positive integer; found {value}");

    private static IReadOnlyList<string>? Names(string? text) =>
        text is null ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
