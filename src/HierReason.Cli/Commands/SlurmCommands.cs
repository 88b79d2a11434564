using System.CommandLine;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.Runs;
using HierReason.Core.Tasks;
using HierReason.Harness.Jobs;
using HierReason.Harness.Pipeline;
using HierReason.Harness.Running;
using HierReason.Harness.Slurm;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason slurm</c>: expands the models file × the task set file into a run folder and its job manifest (or takes an existing
/// manifest), writes a SLURM job array over it (task i runs <c>hierreason eval --manifest M --index i</c>), a collect job
/// that aggregates once the array has ended, and <c>submit.sh</c>; <c>--submit</c> also submits them.
/// </summary>
public static class SlurmCommands
{
    public static Command Build(IServiceProvider services)
    {
        var outDir = new Option<string>("--output", "-o") { Description = "Folder for submit.sh, array.sbatch, collect.sbatch and logs/ (the jobs' working directory).", Required = true }.WithOldSpellings("--out");
        var tasks = MatrixSelection.For("tasks", "Only these tasks (comma-separated names; default: all of the task set).", "The task set file.", "tasks.json");
        var models = MatrixSelection.For("models", "Only these models (comma-separated names; default: the enabled ones).", "The models file.", "models.json");
        var taskConfigs = new Option<string>("--task-configs") { Description = "Folder of task config files (<task>.json) the task set overlays.", DefaultValueFactory = _ => "tasks" };
        var runs = new Option<string>("--runs") { Description = "Folder of run folders; the run goes to <runs>/<run-id>.", DefaultValueFactory = _ => "artifacts/runs" };
        var results = new Option<string>("--results") { Description = "Where the collect job writes the results files (collect's --output).", DefaultValueFactory = _ => "artifacts/benchmark_results" };
        var manifest = new Option<string?>("--manifest") { Description = "Use this job manifest (one job JSON per line) instead of expanding --models-file × --tasks-file; needs --run." };
        var run = new Option<string?>("--run") { Description = "With --manifest: the run folder its jobs write to (collect aggregates it)." };
        var gres = new Option<string>("--gres") { Description = "Generic resource per array task, or 'none' for CPU-only jobs.", DefaultValueFactory = _ => "gpu:1" };
        var device = new Option<string?>("--device") { Description = "The jobs' device: cuda (default with a gres; SLURM sets CUDA_VISIBLE_DEVICES) or cpu (default with --gres none)." };
        var maxConcurrent = new Option<int?>("--max-concurrent") { Description = "At most K array tasks at once (--array=0-N%K)." };
        var partition = new Option<string?>("--partition") { Description = "SLURM partition." };
        var time = new Option<string?>("--time") { Description = "Time limit per task (e.g. 02:00:00)." };
        var cpus = new Option<int?>("--cpus-per-task") { Description = "CPUs per array task (also the jobs' libtorch threads unless --threads)." };
        var mem = new Option<string?>("--mem") { Description = "Memory per task (e.g. 16G)." };
        var jobName = new Option<string>("--job-name") { Description = "Job name (the collect job adds -collect).", DefaultValueFactory = _ => "hierreason" };
        var setup = new Option<string[]>("--setup") { Description = "A shell line each job runs first (e.g. 'module load cuda'); repeatable.", AllowMultipleArgumentsPerToken = false };
        var batchSize = new Option<int>("--batch-size") { Description = "Prompts per generation batch in the worker.", DefaultValueFactory = _ => 32 };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads per job (default: --cpus-per-task, else libtorch's default)." };
        var worker = new Option<string?>("--hierreason") { Description = $"The hierreason executable or hierreason.dll the jobs run (default: this one, or ${WorkerCommand.Variable})." };
        var submit = new Option<bool>("--submit") { Description = "Submit with sbatch (runs submit.sh) and print the job ids." };
        var command = new Command("slurm", "Write (and optionally submit) a SLURM job array over the task × model × seed matrix, plus a collect job that aggregates when all are done.")
        {
            outDir, tasks.Filter, models.Filter, tasks.File, models.File, tasks.OldFilter, models.OldFilter, taskConfigs, runs, results, manifest, run, gres, device, maxConcurrent,
            partition, time, cpus, mem, jobName, setup, batchSize, threads, worker, submit,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var gresValue = parse.GetValue(gres)!;
            var options = new SlurmArrayOptions
            {
                Gres = string.Equals(gresValue, "none", StringComparison.OrdinalIgnoreCase) ? null : gresValue,
                MaxConcurrent = parse.GetValue(maxConcurrent),
                Partition = parse.GetValue(partition),
                TimeLimit = parse.GetValue(time),
                CpusPerTask = parse.GetValue(cpus),
                Memory = parse.GetValue(mem),
                JobName = parse.GetValue(jobName)!,
                Setup = parse.GetValue(setup) ?? [],
            };
            options.Validate();
            var workerCommand = Worker(parse.GetValue(worker));

            string manifestPath, runDirectory;
            if (parse.GetValue(manifest) is { } given)
            {
                runDirectory = parse.GetValue(run) ?? throw new HierReasonException("--manifest needs --run <run folder> (the folder collect aggregates)");
                manifestPath = given;
            }
            else
            {
                if (parse.GetValue(run) is not null) throw new HierReasonException("--run goes with --manifest; without it the run folder is <runs>/<run-id>");
                var jobDevice = parse.GetValue(device) ?? (options.Gres is null ? "cpu" : "cuda");
                if (jobDevice is not ("cpu" or "cuda")) throw new HierReasonException($"--device: expected cpu or cuda; found {jobDevice}");
                var jobThreads = parse.GetValue(threads) ?? options.CpusPerTask ?? 0;
                if (jobThreads < 0) throw new HierReasonException($"--threads: expected a non-negative integer; found {jobThreads}");
                var batch = parse.GetValue(batchSize);
                if (batch < 1) throw new HierReasonException($"--batch-size: expected a positive integer; found {batch}");
                // The same steps as bench: validate the inputs, check the models the jobs load, expand the matrix.
                var (tasksPath, onlyTasks) = tasks.Resolve(parse, console.Error);
                var (modelsPath, onlyModels) = models.Resolve(parse, console.Error);
                var inputs = BenchmarkInputs.Load(modelsPath!, tasksPath!, TaskConfigsOption.Directory(parse, taskConfigs),
                    services.GetRequiredService<TaskRegistry>());
                var matrix = new MatrixOptions(onlyTasks, onlyModels, batch, jobThreads);
                inputs.Check(ModelEntryCheck.Validate, matrix);
                var plan = SlurmRunPlan.Write(inputs.Expand(matrix), parse.GetValue(runs)!, jobDevice);
                (manifestPath, runDirectory) = (plan.Run.ManifestFile, plan.Run.Folder);
                console.Out.WriteLine($"run folder: {plan.Run.Folder}");
            }

            var slurm = new SlurmBatch(parse.GetValue(outDir)!, manifestPath, JobManifest.Count(manifestPath), runDirectory,
                parse.GetValue(results)!, workerCommand, options);
            var scripts = SlurmScriptWriter.Write(slurm);
            console.Out.WriteLine($"manifest: {Path.GetFullPath(manifestPath)} ({slurm.JobCount} jobs)");
            console.Out.WriteLine($"array: {scripts.ArrayScript}");
            console.Out.WriteLine($"collect: {scripts.CollectScript}");
            console.Out.WriteLine($"logs: {scripts.LogsDir}");
            if (!parse.GetValue(submit))
            {
                console.Out.WriteLine($"submit with: bash {ShellQuote.Word(scripts.SubmitScript)}");
                return 0;
            }
            var submission = await SlurmSubmitter.SubmitAsync(scripts, cancel);
            console.Out.WriteLine($"array_job_id={submission.ArrayJobId}");
            console.Out.WriteLine($"collect_job_id={submission.CollectJobId}");
            return 0;
        });
        return command;
    }

    private static WorkerCommand Worker(string? path)
    {
        if (path is null) return WorkerCommand.Resolve();
        if (!File.Exists(path)) throw new HierReasonException($"--hierreason: expected the hierreason executable or hierreason.dll; found {Path.GetFullPath(path)} (no such file)");
        return WorkerCommand.FromPath(path);
    }
}
