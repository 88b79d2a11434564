using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.Json;
using HierReason.Core.Runs;
using HierReason.Core.Tasks;
using HierReason.Harness.Aggregation;
using HierReason.Harness.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason bench</c>: parses the options into a <see cref="BenchmarkRequest"/> and runs the <see cref="BenchmarkPipeline"/>
/// (validate, expand, place, run workers, collect), showing its progress and printing the summary. And <c>hierreason collect</c>.
/// </summary>
public static class BenchCommands
{
    /// <summary>Exit code when the run finished but some jobs failed.</summary>
    public const int JobsFailed = 1;

    /// <summary>Exit code after Ctrl+C (finished results are kept).</summary>
    public const int Cancelled = 130;

    public static Command Build(IServiceProvider services)
    {
        var tasks = MatrixSelection.For("tasks", "Run only these tasks (comma-separated names; default: all of the task set).", "The task set file.", "tasks.json");
        var models = MatrixSelection.For("models", "Run only these models (comma-separated names; default: the enabled ones; a disabled model named here runs).",
            "The models file.", "models.json");
        var taskConfigs = new Option<string>("--task-configs") { Description = "Folder of task config files (<task>.json) the task set overlays.", DefaultValueFactory = _ => "tasks" };
        var gpus = new Option<string?>("--gpus") { Description = "GPU indices, e.g. 0,1,2,3 (default: nvidia-smi's GPUs, else CPU slots)." };
        var cpuSlots = new Option<int>("--cpu-slots") { Description = "CPU devices when there is no GPU.", DefaultValueFactory = _ => 1 };
        var slotsPerDevice = new Option<int>("--slots-per-device") { Description = "Workers running at once on each device.", DefaultValueFactory = _ => 1 };
        var schedule = new Option<string>("--schedule") { Description = "round-robin (a worker per job) or affinity (a worker per model and device; the model loads once).", DefaultValueFactory = _ => "round-robin" };
        var output = new Option<string>("--output", "-o") { Description = "Results folder.", DefaultValueFactory = _ => "artifacts/benchmark_results" }.WithOldSpellings("--out");
        var runs = new Option<string>("--runs") { Description = "Folder of run folders (job results, samples, logs).", DefaultValueFactory = _ => "artifacts/runs" };
        var force = new Option<bool>("--force") { Description = "Rerun jobs whose result already exists." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the expanded jobs with device and key; run nothing." };
        var json = new Option<bool>("--json") { Description = "With --dry-run: print the jobs as JSON; else print the summary as JSON." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds a job may take before its worker is killed.", DefaultValueFactory = _ => 7200 };
        var retries = new Option<int>("--retries") { Description = "Relaunches of a failed or timed-out job.", DefaultValueFactory = _ => 1 };
        var batchSize = new Option<int>("--batch-size") { Description = "Prompts per generation batch in the worker.", DefaultValueFactory = _ => 32 };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads per worker (default: 1 when several CPU slots share the machine, else all cores)." };
        var command = new Command("bench", "Benchmark models on tasks: the task × model × seed matrix, in worker processes on GPUs or CPU slots.")
        {
            tasks.Filter, models.Filter, tasks.File, models.File, tasks.OldFilter, models.OldFilter, taskConfigs, gpus, cpuSlots, slotsPerDevice, schedule, output, runs, force, dryRun, json, timeout, retries, batchSize, threads,
        };
        command.SetAction(async (parse, invocationToken) =>
        {
            var console = services.GetRequiredService<CliConsole>();
            // Ctrl+C and SIGTERM stop the run cleanly (workers killed, finished results kept) instead of ending the process.
            using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(invocationToken);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
            void Interrupt(PosixSignalContext context)
            {
                context.Cancel = true;
                interrupted.Cancel();
            }

            var (tasksPath, onlyTasks) = tasks.Resolve(parse, console.Error);
            var (modelsPath, onlyModels) = models.Resolve(parse, console.Error);
            var request = new BenchmarkRequest
            {
                ModelsFile = modelsPath!,
                TasksFile = tasksPath!,
                TaskConfigs = TaskConfigsOption.Directory(parse, taskConfigs),
                OnlyTasks = onlyTasks,
                OnlyModels = onlyModels,
                Gpus = parse.GetValue(gpus),
                CpuSlots = parse.GetValue(cpuSlots),
                SlotsPerDevice = parse.GetValue(slotsPerDevice),
                Schedule = parse.GetValue(schedule)!,
                RunsRoot = parse.GetValue(runs)!,
                ResultsFolder = parse.GetValue(output)!,
                Force = parse.GetValue(force),
                TimeoutSeconds = parse.GetValue(timeout),
                Retries = parse.GetValue(retries),
                BatchSize = parse.GetValue(batchSize),
                Threads = parse.GetValue(threads),
            };
            var pipeline = Pipeline(services);
            // A dry run only plans (models may not be trained yet); a real run checks every model it will load before writing anything.
            var plan = pipeline.Plan(request, checkModels: !parse.GetValue(dryRun));
            if (parse.GetValue(dryRun))
            {
                PrintPlan(console, plan, parse.GetValue(json));
                return 0;
            }

            BenchmarkOutcome outcome;
            await using (var progress = new BenchProgress(console, parse.GetValue(json) ? console.Error : console.Out))
                outcome = await pipeline.RunAsync(plan, progress, interrupted.Token);
            return Report(console, outcome, parse.GetValue(json));
        });
        return command;
    }

    /// <summary><c>hierreason collect --run &lt;dir&gt; [--output &lt;dir&gt;]</c>: aggregates a run folder's finished jobs (SLURM's last step).</summary>
    public static Command Collect(IServiceProvider services)
    {
        var run = new Option<string>("--run") { Description = "The run folder (artifacts/runs/<run-id>).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Results folder.", DefaultValueFactory = _ => "artifacts/benchmark_results" }.WithOldSpellings("--out");
        var command = new Command("collect", "Aggregate a run folder's job results into results JSON files and summary.md.") { run, output };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var directory = parse.GetValue(run)!;
            if (!Directory.Exists(directory)) throw new HierReasonException($"--run: {directory}: no such folder");
            var collected = BenchmarkPipeline.Collect(RunLayout.At(directory), parse.GetValue(output)!, Packages());
            console.Out.Write(MarkdownSummary.Render(collected.Summary));
            foreach (var path in collected.Files) console.Out.WriteLine("wrote " + path);
            WarnRepeatedQuestions(console, collected.Summary);
            return 0;
        });
        return command;
    }

    /// <summary>The benchmark pipeline with the CLI's pieces: the task registry, the engine's model check, the versions it records.</summary>
    private static BenchmarkPipeline Pipeline(IServiceProvider services) =>
        new(services.GetRequiredService<TaskRegistry>(), ModelEntryCheck.Validate, Packages());

    /// <summary>Versions recorded in the run metadata.</summary>
    public static IReadOnlyDictionary<string, string> Packages() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["HierReason"] = VersionAction.Version,
        ["TorchSharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
        [".NET"] = RuntimeInformation.FrameworkDescription,
    };

    /// <summary>
    /// The summary's repeated-question warnings on stderr as well, so they are seen with <c>--json</c> and when stdout goes
    /// to a file: a cell of 200 samples of 41 questions is measured about as well as one of 41.
    /// </summary>
    private static void WarnRepeatedQuestions(CliConsole console, Core.Results.BenchmarkSummary summary)
    {
        foreach (var warning in MarkdownSummary.Warnings(summary)) console.Error.WriteLine("warning: " + warning);
    }

    /// <summary>Prints the outcome (the summary table, or JSON) and the failed jobs; the exit code: 0, <see cref="JobsFailed"/> or <see cref="Cancelled"/>.</summary>
    private static int Report(CliConsole console, BenchmarkOutcome outcome, bool json)
    {
        var log = json ? console.Error : console.Out;
        if (outcome.Collected is not { } collected)
        {
            log.WriteLine($"bench: cancelled; {outcome.Results.Count(r => r.IsSuccess)} finished job result(s) kept in {outcome.Plan.Run.Folder} (rerun the same command to resume)");
            return Cancelled;
        }
        if (json) console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(collected.Summary, HierJson.Indented));
        else
        {
            console.Out.WriteLine();
            console.Out.Write(MarkdownSummary.Render(collected.Summary));
            console.Out.WriteLine();
            foreach (var path in collected.Files) console.Out.WriteLine("wrote " + path);
        }
        WarnRepeatedQuestions(console, collected.Summary);
        foreach (var f in outcome.Failed) console.Error.WriteLine($"failed: {f.Task} × {f.Model} seed {f.Seed} ({f.Key}): {f.Error}");
        return outcome.Failed.Count == 0 ? 0 : JobsFailed;
    }

    private static void PrintPlan(CliConsole console, BenchmarkPlan plan, bool json)
    {
        var jobs = plan.Queues.SelectMany(q => q.Units.Select((u, i) => (Unit: i, UnitJobs: u.Jobs))).SelectMany(x => x.UnitJobs.Select(j => (x.Unit, Job: j))).ToList();
        if (json)
        {
            var array = new JsonArray();
            foreach (var (unit, job) in jobs)
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
        console.Out.WriteLine($"{jobs.Count} job(s); run folder {plan.Run.Folder}");
        foreach (var (unit, job) in jobs)
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{job.Device,-8} worker {unit,-3} {job.Key[..12]}  {job.Task} × {job.Model.Name}{(job.Strategy is { IsVanilla: false } s ? $" ({s.Name})" : "")} seed {job.Seed} n {job.N}"));
    }
}
