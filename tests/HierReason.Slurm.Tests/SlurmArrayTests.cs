using HierReason.Core.Runs;
using HierReason.Harness.Running;
using HierReason.Harness.Slurm;
using HierReason.Slurm.Tests.Cluster;

namespace HierReason.Slurm.Tests;

/// <summary>
/// The generated scripts against a real single-node SLURM, with a stand-in for hierreason (a bash script that
/// follows the eval/collect contract: one result file per manifest line, skipped when it exists).
/// </summary>
[Collection(SlurmCollection.Name)]
[Trait("Category", "Slurm")]
public sealed class SlurmArrayTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    // Arguments: eval --manifest M --index N  |  collect --run R [--output O]. Results go to <manifest folder>/run/jobs/<key>.json.
    private const string StandIn = """
        #!/bin/bash
        set -euo pipefail
        case "$1" in
          eval)
            manifest="$3"; index="$5"
            line=$(sed -n "$((index + 1))p" "$manifest")
            key=$(printf '%s' "$line" | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
            result="$(dirname "$manifest")/run/jobs/$key.json"
            if [[ -e "$result" ]]; then echo "skip $key: result exists"; exit 0; fi
            [[ "$key" == fail* ]] && { echo "job $key fails on purpose" >&2; exit 3; }
            started=$(date +%s.%N)
            sleep 2
            mkdir -p "$(dirname "$result")"
            printf '{"key":"%s","index":%s,"cuda":"%s","array_job":"%s","started":%s,"ended":%s}\n' \
              "$key" "$index" "${CUDA_VISIBLE_DEVICES-unset}" "$SLURM_ARRAY_JOB_ID" "$started" "$(date +%s.%N)" > "$result.tmp"
            mv "$result.tmp" "$result"
            echo "done $key"
            ;;
          collect)
            run="$3"
            ls "$run/jobs" | sort > "$run/collected.txt"
            echo "collected $(wc -l < "$run/collected.txt")"
            ;;
          *) echo "unknown command $1" >&2; exit 64 ;;
        esac
        """;

    private readonly SlurmCluster _cluster;
    private readonly string _dir = Directory.CreateTempSubdirectory("hierreason-slurm-array-").FullName;

    public SlurmArrayTests(SlurmCluster cluster) => _cluster = cluster;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SlurmFact]
    public async Task Array_runs_every_task_on_its_own_gpu_then_collect_sees_all_results_and_a_rerun_skips_finished_jobs()
    {
        var outDir = Path.Combine(_dir, "slurm out");
        var scripts = WriteBatch(outDir, ["job-0", "job-1", "job-2", "job-3"], new SlurmArrayOptions { Gres = "gpu:1", MaxConcurrent = 4 });

        var (arrayId, collectId) = await SubmitAsync(scripts);
        await _cluster.WaitForJobsAsync(Patience, arrayId, collectId);

        var tasks = await _cluster.WaitForCompletionsAsync(c => c.ArrayJobId == arrayId, 4, Patience);
        Assert.Equal([0, 1, 2, 3], tasks.Select(t => t.ArrayTaskId ?? -1).Order());
        Assert.All(tasks, t => Assert.Equal(("COMPLETED", "0:0"), (t.State, t.ExitCode)));
        var collect = Assert.Single(await _cluster.WaitForCompletionsAsync(c => c.JobId == collectId, 1, Patience));
        Assert.Equal(("COMPLETED", "0:0"), (collect.State, collect.ExitCode));
        Assert.True(collect.Start >= tasks.Max(t => t.End), $"collect started {collect.Start:O} before the array ended {tasks.Max(t => t.End):O}");

        // Each task got one (fake) GPU of its own: one device id, and never the one of a task running at the same time.
        var results = ReadResults(outDir);
        Assert.Equal(["job-0", "job-1", "job-2", "job-3"], results.Keys.Order(StringComparer.Ordinal));
        Assert.All(results.Values, r => Assert.Contains(Field(r, "cuda"), new[] { "0", "1", "2", "3" }));
        var spans = results.Values.Select(r => (Gpu: Field(r, "cuda"), Start: Seconds(r, "started"), End: Seconds(r, "ended"))).ToList();
        var overlapping = spans.SelectMany((a, i) => spans.Skip(i + 1).Where(b => a.Start < b.End && b.Start < a.End).Select(b => (a, b))).ToList();
        Assert.NotEmpty(overlapping);
        Assert.All(overlapping, p => Assert.NotEqual(p.a.Gpu, p.b.Gpu));
        Assert.All(results.Values, r => Assert.Equal(arrayId, Field(r, "array_job")));
        for (var i = 0; i < 4; i++)
        {
            var log = File.ReadAllText(Path.Combine(scripts.LogsDir, $"{arrayId}_{i}.out"));
            Assert.Contains($"[hierreason] array job {arrayId} task {i} on ", log, StringComparison.Ordinal);
            Assert.Contains($"done job-{i}", log, StringComparison.Ordinal);
        }
        Assert.Equal(["job-0.json", "job-1.json", "job-2.json", "job-3.json"], File.ReadAllLines(Path.Combine(outDir, "run", "collected.txt")));
        Assert.Contains("collected 4", File.ReadAllText(Path.Combine(scripts.LogsDir, $"{collectId}_collect.out")), StringComparison.Ordinal);

        // Resume: one result is lost; submitting again redoes only that one and leaves the others untouched.
        File.Delete(Path.Combine(outDir, "run", "jobs", "job-2.json"));
        File.Delete(Path.Combine(outDir, "run", "collected.txt"));
        var (rerunId, recollectId) = await SubmitAsync(scripts);
        await _cluster.WaitForJobsAsync(Patience, rerunId, recollectId);
        var rerun = await _cluster.WaitForCompletionsAsync(c => c.ArrayJobId == rerunId, 4, Patience);
        Assert.All(rerun, t => Assert.Equal(("COMPLETED", "0:0"), (t.State, t.ExitCode)));
        await _cluster.WaitForCompletionsAsync(c => c.JobId == recollectId && c.State == "COMPLETED", 1, Patience);

        var after = ReadResults(outDir);
        foreach (var key in new[] { "job-0", "job-1", "job-3" })
        {
            Assert.Equal(results[key], after[key]);
            var index = key[^1];
            Assert.Contains($"skip {key}: result exists", File.ReadAllText(Path.Combine(scripts.LogsDir, $"{rerunId}_{index}.out")), StringComparison.Ordinal);
        }
        Assert.Equal(rerunId, Field(after["job-2"], "array_job"));
        Assert.Contains("done job-2", File.ReadAllText(Path.Combine(scripts.LogsDir, $"{rerunId}_2.out")), StringComparison.Ordinal);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(outDir, "run", "collected.txt")).Length);
    }

    [SlurmFact]
    public async Task Without_gres_tasks_see_no_gpu_the_concurrency_limit_holds_and_collect_runs_after_a_failed_task()
    {
        var outDir = Path.Combine(_dir, "cpu");
        var scripts = WriteBatch(outDir, ["cpu-0", "fail-1", "cpu-2"], new SlurmArrayOptions { Gres = null, MaxConcurrent = 1 });

        var (arrayId, collectId) = await SubmitAsync(scripts);
        await _cluster.WaitForJobsAsync(Patience, arrayId, collectId);

        var tasks = (await _cluster.WaitForCompletionsAsync(c => c.ArrayJobId == arrayId, 3, Patience)).OrderBy(t => t.ArrayTaskId).ToList();
        Assert.Equal([("COMPLETED", "0:0"), ("FAILED", "3:0"), ("COMPLETED", "0:0")], tasks.Select(t => (t.State, t.ExitCode)));
        // %1: each task starts only after the one before it ended.
        for (var i = 1; i < tasks.Count; i++) Assert.True(tasks[i].Start >= tasks[i - 1].End, tasks[i].Line);
        // afterany: the collect job still runs when a task failed, and aggregates what finished.
        var collect = Assert.Single(await _cluster.WaitForCompletionsAsync(c => c.JobId == collectId, 1, Patience));
        Assert.Equal("COMPLETED", collect.State);
        Assert.Equal(["cpu-0.json", "cpu-2.json"], File.ReadAllLines(Path.Combine(outDir, "run", "collected.txt")));

        var results = ReadResults(outDir);
        Assert.All(results.Values, r => Assert.Equal("unset", Field(r, "cuda")));
        Assert.Contains("job fail-1 fails on purpose", File.ReadAllText(Path.Combine(scripts.LogsDir, $"{arrayId}_1.out")), StringComparison.Ordinal);
    }

    private SlurmScripts WriteBatch(string outDir, IReadOnlyList<string> keys, SlurmArrayOptions options)
    {
        Directory.CreateDirectory(outDir);
        var manifest = Path.Combine(outDir, "jobs.jsonl");
        File.WriteAllText(manifest, string.Concat(keys.Select(k => $"{{\"key\":\"{k}\"}}\n")));
        var standIn = Path.Combine(_dir, "stand-in hierreason.sh");
        if (!File.Exists(standIn)) File.WriteAllText(standIn, StandIn.ReplaceLineEndings("\n") + "\n");
        return SlurmScriptWriter.Write(new SlurmBatch(
            outDir, manifest, JobManifest.Count(manifest), Path.Combine(outDir, "run"), null,
            new WorkerCommand("/bin/bash", [standIn]), options));
    }

    private async Task<(string ArrayId, string CollectId)> SubmitAsync(SlurmScripts scripts)
    {
        var submit = await _cluster.RunAsync("bash", scripts.SubmitScript);
        Assert.True(submit.ExitCode == 0, submit.Describe("submit.sh") + "\n" + _cluster.Diagnostics());
        var ids = submit.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        return (ids["array_job_id"], ids["collect_job_id"]);
    }

    private static Dictionary<string, string> ReadResults(string outDir) =>
        Directory.GetFiles(Path.Combine(outDir, "run", "jobs"), "*.json").ToDictionary(f => Path.GetFileNameWithoutExtension(f), File.ReadAllText);

    private static double Seconds(string json, string name) =>
        System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty(name).GetDouble();

    private static string Field(string json, string name) =>
        System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty(name).ToString();
}
