using System.CommandLine;
using System.Globalization;
using HierReason.Backends;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Core.Tasks;
using HierReason.Harness.Running;
using HierReason.Reasoning.Evaluation;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason eval</c>: the benchmark worker. Runs jobs (<c>--job</c>, <c>--jobs a,b</c>, or lines of a manifest) in
/// this process, loading each model once for its consecutive jobs; a job already finished (result and all its samples)
/// is skipped unless --force. Launched by bench, it exits when bench is gone (<see cref="ParentLink"/>).
/// </summary>
public static class EvalCommands
{
    public static Command Build(IServiceProvider services)
    {
        var job = new Option<string?>("--job") { Description = "A job file (<run>/jobs/<key>.job.json) to run; its result and samples go to that run folder." };
        var jobs = new Option<string?>("--jobs") { Description = "Comma-separated job files, run in order (jobs of one model share one load)." };
        var manifest = new Option<string?>("--manifest") { Description = "A manifest of jobs, one JSON job per line (run folder's manifest.jsonl)." };
        var index = new Option<string?>("--index") { Description = "With --manifest: the line(s) to run, 0-based, comma-separated (SLURM_ARRAY_TASK_ID)." };
        var force = new Option<bool>("--force") { Description = "Rerun jobs whose result already exists." };
        var synthetic = new Option<int?>("--synthetic-ms") { Description = "Load nothing, sleep this many ms and exit (measures worker launch overhead)." };
        var command = new Command("eval", "Run benchmark jobs in this process (the worker bench launches).") { job, jobs, manifest, index, force, synthetic };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = services.GetRequiredService<CliConsole>();
            ParentLink.Watch(() =>
            {
                // Nothing is cleaned up: whatever this worker was writing is a temp file, which the next run deletes.
                try { console.Error.WriteLine("eval: the bench process that launched this worker is gone; exiting"); }
                catch (IOException) { }
                Environment.Exit(ParentLink.OrphanedExitCode);
            });
            if (parse.GetValue(synthetic) is int ms)
            {
                if (ms < 0) throw new HierReasonException($"--synthetic-ms: expected a non-negative integer; found {ms}");
                await Task.Delay(ms, cancellationToken);
                return 0;
            }
            var selected = SelectJobs(parse.GetValue(job), parse.GetValue(jobs), parse.GetValue(manifest), parse.GetValue(index));
            return await RunJobsAsync(selected, parse.GetValue(force), services.GetRequiredService<TaskRegistry>(), console, cancellationToken);
        });
        return command;
    }

    private static IReadOnlyList<EvalJob> SelectJobs(string? job, string? jobs, string? manifest, string? index)
    {
        var given = new[] { job, jobs, manifest }.Count(v => v is not null);
        if (given != 1) throw new HierReasonException("eval: give exactly one of --job <file>, --jobs <a,b,...> or --manifest <file> --index <N>");
        if (job is not null) return [JobFile.Read(job)];
        if (jobs is not null) return jobs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(JobFile.Read).ToList();
        var all = JobManifest.Read(manifest!);
        if (index is null) throw new HierReasonException("--manifest needs --index N (the 0-based line of the job to run)");
        var selected = new List<EvalJob>();
        foreach (var part in index.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i >= all.Count)
                throw new HierReasonException($"--index: expected line numbers in [0, {all.Count - 1}] of {manifest}; found '{part}'");
            selected.Add(all[i]);
        }
        return selected;
    }

    private static async Task<int> RunJobsAsync(IReadOnlyList<EvalJob> jobs, bool force, TaskRegistry registry, CliConsole console, CancellationToken cancellationToken)
    {
        var failures = 0;
        var todo = jobs.Where(j => force || FinishedResults.Of(j) is null).ToList();
        foreach (var skipped in jobs.Except(todo)) console.Out.WriteLine($"{skipped.Key}: already finished, skipped");
        // Consecutive jobs of one model share one load.
        for (var i = 0; i < todo.Count;)
        {
            var model = todo[i].Model;
            var group = todo.Skip(i).TakeWhile(j => SameLoad(j.Model, model)).ToList();
            i += group.Count;
            if (group[0].SyntheticMs is not null)
            {
                foreach (var j in group) await JobEvaluator.RunSyntheticAsync(j, cancellationToken);
                continue;
            }
            if (group[0].Threads > 0) TorchSharp.torch.set_num_threads(group[0].Threads);
            await using var backend = BackendFactory.Create(model, group[0].Device);
            foreach (var j in group)
            {
                try
                {
                    // A strategy's frozen models (a planner's worker) load per job: they may differ between jobs of one policy.
                    var roles = new Dictionary<string, IModelBackend>(StringComparer.Ordinal);
                    try
                    {
                        foreach (var (role, spec) in j.Strategy?.Models ?? new Dictionary<string, ModelSpec>())
                            roles[role] = BackendFactory.Create(spec, j.Device);
                        var evaluator = new JobEvaluator(backend, registry, line => console.Error.WriteLine(line), roleModels: roles);
                        var result = await evaluator.RunAsync(j, cancellationToken);
                        var sampled = result is { SamplesPerItem: { } k, PassAtK: { } pass, MajAtK: { } maj }
                            ? string.Create(CultureInfo.InvariantCulture, $" (pass@{k} {pass:0.###}, maj@{k} {maj:0.###})") : "";
                        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{j.Key}: {j.Task} × {j.Model.Name} ({j.StrategyName}) seed {j.Seed}: accuracy {result.Accuracy:0.###} [{result.Interval().Low:0.###}, {result.Interval().High:0.###}] over {result.N}{sampled} in {result.WallSeconds:0.#} s"));
                    }
                    finally
                    {
                        foreach (var frozen in roles.Values) await frozen.DisposeAsync();
                    }
                }
                catch (HierReasonException e)
                {
                    failures++;
                    await console.Error.WriteLineAsync($"{j.Key}: {e.Message}");
                }
            }
        }
        return failures == 0 ? 0 : HierReasonCli.UserError;
    }

    /// <summary>Whether two jobs can share a loaded model (generation settings may differ; weights and device type may not).</summary>
    private static bool SameLoad(ModelSpec a, ModelSpec b) =>
        a.Name == b.Name && a.Backend == b.Backend && a.Path == b.Path && a.CheckpointHash == b.CheckpointHash && a.Dtype == b.Dtype;
}
