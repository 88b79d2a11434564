using System.CommandLine;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Harness.Slurm;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason slurm</c>: writes a SLURM job array over a job manifest (task i runs <c>hierreason eval --manifest M --index i</c>),
/// a collect job that aggregates once the array has ended, and <c>submit.sh</c>; <c>--submit</c> also submits them.
/// </summary>
public static class SlurmCommands
{
    public static Command Build(IServiceProvider services)
    {
        var outDir = new Option<string>("--out") { Description = "Folder for submit.sh, array.sbatch, collect.sbatch and logs/ (the jobs' working directory).", Required = true };
        var manifest = new Option<string>("--manifest") { Description = "Job manifest, one job JSON per line (array task i runs line i).", Required = true };
        var run = new Option<string>("--run") { Description = "The run folder the jobs write to; the collect job aggregates it.", Required = true };
        var results = new Option<string?>("--results") { Description = "Where collect writes the results files (default: collect's own default)." };
        var gres = new Option<string>("--gres") { Description = "Generic resource per array task, or 'none' for CPU-only jobs.", DefaultValueFactory = _ => "gpu:1" };
        var maxConcurrent = new Option<int?>("--max-concurrent") { Description = "At most K array tasks at once (--array=0-N%K)." };
        var partition = new Option<string?>("--partition") { Description = "SLURM partition." };
        var time = new Option<string?>("--time") { Description = "Time limit per task (e.g. 02:00:00)." };
        var cpus = new Option<int?>("--cpus-per-task") { Description = "CPUs per array task." };
        var mem = new Option<string?>("--mem") { Description = "Memory per task (e.g. 16G)." };
        var jobName = new Option<string>("--job-name") { Description = "Job name (the collect job adds -collect).", DefaultValueFactory = _ => "hierreason" };
        var setup = new Option<string[]>("--setup") { Description = "A shell line each task runs first (e.g. 'module load cuda'); repeatable.", AllowMultipleArgumentsPerToken = false };
        var worker = new Option<string?>("--hierreason") { Description = "The hierreason executable or hierreason.dll the jobs run (default: this one)." };
        var submit = new Option<bool>("--submit") { Description = "Submit with sbatch (runs submit.sh) and print the job ids." };
        var command = new Command("slurm", "Write (and optionally submit) a SLURM job array that runs a job manifest, plus a collect job that aggregates when all are done.")
        {
            outDir, manifest, run, results, gres, maxConcurrent, partition, time, cpus, mem, jobName, setup, worker, submit,
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
            var manifestPath = Path.GetFullPath(parse.GetValue(manifest)!);
            var batch = new SlurmBatch(
                parse.GetValue(outDir)!, manifestPath, SlurmManifest.CountJobs(manifestPath), parse.GetValue(run)!, parse.GetValue(results),
                parse.GetValue(worker) is { } path ? WorkerCommand.FromPath(path) : WorkerCommand.Current(), options);
            var scripts = SlurmScriptWriter.Write(batch);
            console.Out.WriteLine($"{batch.JobCount} jobs: {scripts.ArrayScript}");
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
}
