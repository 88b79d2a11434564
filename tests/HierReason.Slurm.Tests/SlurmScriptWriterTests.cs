using HierReason.Core;
using HierReason.Harness.Running;
using HierReason.Harness.Slurm;

namespace HierReason.Slurm.Tests;

public sealed class SlurmScriptWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hierreason-slurm-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SlurmBatch Batch(SlurmArrayOptions? options = null, int jobs = 4, string outDir = "/data/bench", string? results = "/data/bench/results") => new(
        OutDir: outDir,
        Manifest: Path.Combine(outDir, "jobs.jsonl"),
        JobCount: jobs,
        RunDir: Path.Combine(outDir, "run"),
        ResultsDir: results,
        Worker: new WorkerCommand("/opt/hierreason/hierreason", []),
        Options: options ?? new SlurmArrayOptions());

    [Fact]
    public void Array_script_with_defaults_requests_one_gpu_per_task_and_runs_its_manifest_line()
    {
        var (array, _, _) = SlurmScriptWriter.Render(Batch());

        Assert.Equal("""
            #!/bin/bash
            # Written by `hierreason slurm`. Array task i runs line i of the manifest; a job whose result
            # already exists is skipped, so submitting again (bash submit.sh) reruns only what is missing.
            #SBATCH --job-name=hierreason
            #SBATCH --array=0-3
            #SBATCH --chdir=/data/bench
            #SBATCH --output=logs/%A_%a.out
            #SBATCH --gres=gpu:1
            set -euo pipefail
            echo "[hierreason] array job ${SLURM_ARRAY_JOB_ID:-?} task ${SLURM_ARRAY_TASK_ID:?not a SLURM array task} on $(hostname) CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES:-unset}"
            exec /opt/hierreason/hierreason eval --manifest /data/bench/jobs.jsonl --index "$SLURM_ARRAY_TASK_ID"

            """, array);
    }

    [Fact]
    public void Every_option_lands_on_its_sbatch_line()
    {
        var options = new SlurmArrayOptions
        {
            Gres = "gpu:a100:2", MaxConcurrent = 3, Partition = "gpu-long", TimeLimit = "02:00:00", CpusPerTask = 8,
            Memory = "32G", JobName = "nightly", OutputPattern = "logs/task_%a.txt", Setup = ["module load cuda/12.4"],
        };
        var (array, collect, _) = SlurmScriptWriter.Render(Batch(options, jobs: 12));
        var lines = array.Split('\n');

        Assert.Contains("#SBATCH --array=0-11%3", lines);
        Assert.Contains("#SBATCH --gres=gpu:a100:2", lines);
        Assert.Contains("#SBATCH --partition=gpu-long", lines);
        Assert.Contains("#SBATCH --time=02:00:00", lines);
        Assert.Contains("#SBATCH --cpus-per-task=8", lines);
        Assert.Contains("#SBATCH --mem=32G", lines);
        Assert.Contains("#SBATCH --job-name=nightly", lines);
        Assert.Contains("#SBATCH --output=logs/task_%a.txt", lines);
        // The setup line runs after the #SBATCH block (sbatch stops reading directives at the first command) and before the worker.
        Assert.True(Array.IndexOf(lines, "module load cuda/12.4") > Array.IndexOf(lines, "set -euo pipefail"));
        Assert.True(Array.IndexOf(lines, "module load cuda/12.4") < Array.FindIndex(lines, l => l.StartsWith("exec ", StringComparison.Ordinal)));

        // The collect job takes the partition and time limit but no GPU and no per-task resources.
        var collectLines = collect.Split('\n');
        Assert.Contains("#SBATCH --job-name=nightly-collect", collectLines);
        Assert.Contains("#SBATCH --partition=gpu-long", collectLines);
        Assert.Contains("#SBATCH --time=02:00:00", collectLines);
        Assert.DoesNotContain(collectLines, l => l.StartsWith("#SBATCH --gres", StringComparison.Ordinal) || l.StartsWith("#SBATCH --array", StringComparison.Ordinal) || l.StartsWith("#SBATCH --mem", StringComparison.Ordinal));
        Assert.Contains("module load cuda/12.4", collectLines);
        Assert.Contains("exec /opt/hierreason/hierreason collect --run /data/bench/run --output /data/bench/results", collectLines);
    }

    [Fact]
    public void No_gres_leaves_the_line_out_so_tasks_run_on_cpus()
    {
        var (array, _, _) = SlurmScriptWriter.Render(Batch(new SlurmArrayOptions { Gres = null }, jobs: 1));

        Assert.DoesNotContain("--gres", array, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --array=0-0\n", array, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_script_makes_the_collect_job_wait_for_the_whole_array()
    {
        var (_, collect, submit) = SlurmScriptWriter.Render(Batch(results: null));

        Assert.Equal("""
            #!/bin/bash
            # Written by `hierreason slurm`. Submits the job array, then the collect job, which starts when every
            # array task has ended (afterany). Run it again to resume: finished jobs are skipped.
            set -euo pipefail
            array_id=$(sbatch --parsable /data/bench/array.sbatch)
            array_id=${array_id%%;*}
            collect_id=$(sbatch --parsable --dependency=afterany:"$array_id" /data/bench/collect.sbatch)
            collect_id=${collect_id%%;*}
            echo "array_job_id=$array_id"
            echo "collect_job_id=$collect_id"

            """, submit);
        Assert.Contains("exec /opt/hierreason/hierreason collect --run /data/bench/run\n", collect, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --output=logs/%j_collect.out\n", collect, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_with_spaces_and_quotes_are_quoted_for_bash_and_for_sbatch()
    {
        var batch = Batch(outDir: "/data/my bench/it's") with { Worker = new WorkerCommand("/usr/bin/dotnet", ["/opt/hier reason/hierreason.dll"]) };
        var (array, collect, submit) = SlurmScriptWriter.Render(batch);

        Assert.Contains("#SBATCH --chdir=\"/data/my bench/it's\"\n", array, StringComparison.Ordinal);
        Assert.Contains("exec /usr/bin/dotnet '/opt/hier reason/hierreason.dll' eval --manifest '/data/my bench/it'\\''s/jobs.jsonl' --index \"$SLURM_ARRAY_TASK_ID\"\n", array, StringComparison.Ordinal);
        Assert.Contains("collect --run '/data/my bench/it'\\''s/run'", collect, StringComparison.Ordinal);
        Assert.Contains("array_id=$(sbatch --parsable '/data/my bench/it'\\''s/array.sbatch')\n", submit, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_with_a_double_quote_cannot_go_on_an_sbatch_line()
    {
        var e = Assert.Throws<HierReasonException>(() => SlurmScriptWriter.Render(Batch(outDir: "/data/say \"hi\"")));
        Assert.Contains("--output", e.Message, StringComparison.Ordinal);
        Assert.Contains("double quote", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gres", "--gres")]
    [InlineData("max", "--max-concurrent")]
    [InlineData("time", "--time")]
    [InlineData("mem", "--mem")]
    [InlineData("name", "--job-name")]
    [InlineData("partition", "--partition")]
    [InlineData("output", "--output")]
    public void Bad_options_are_rejected_naming_the_option(string which, string option)
    {
        var options = which switch
        {
            "gres" => new SlurmArrayOptions { Gres = "gpu 1" },
            "max" => new SlurmArrayOptions { MaxConcurrent = 0 },
            "time" => new SlurmArrayOptions { TimeLimit = "2 hours" },
            "mem" => new SlurmArrayOptions { Memory = "lots" },
            "name" => new SlurmArrayOptions { JobName = "my job" },
            "partition" => new SlurmArrayOptions { Partition = "gpu;rm" },
            _ => new SlurmArrayOptions { OutputPattern = "my logs/%a.out" },
        };
        var e = Assert.Throws<HierReasonException>(() => SlurmScriptWriter.Render(Batch(options)));
        Assert.StartsWith(option + ":", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_manifest_is_an_error()
    {
        var e = Assert.Throws<HierReasonException>(() => SlurmScriptWriter.Render(Batch(jobs: 0)));
        Assert.Contains("at least one job", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_creates_executable_scripts_and_the_log_folder_without_leftover_temp_files()
    {
        var outDir = Path.Combine(_dir, "out dir");
        var scripts = SlurmScriptWriter.Write(Batch(outDir: outDir));

        Assert.Equal(Path.Combine(outDir, "array.sbatch"), scripts.ArrayScript);
        Assert.True(Directory.Exists(Path.Combine(outDir, "logs")));
        foreach (var file in new[] { scripts.ArrayScript, scripts.CollectScript, scripts.SubmitScript })
        {
            Assert.True(File.GetUnixFileMode(file).HasFlag(UnixFileMode.UserExecute), file);
            Assert.StartsWith("#!/bin/bash\n", File.ReadAllText(file), StringComparison.Ordinal);
        }
        Assert.Equal(["array.sbatch", "collect.sbatch", "submit.sh"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Shell_words_survive_a_round_trip_through_bash()
    {
        string[] words = ["plain", "with space", "it's", "$HOME", "a\"b", "back\\slash", ""];
        var script = Path.Combine(_dir, "echo.sh");
        File.WriteAllText(script, "for w in " + ShellQuote.Join(words) + "; do printf '<%s>\\n' \"$w\"; done\n");

        var output = await Cluster.ProcessRun.CheckedAsync("bash", [script]);

        Assert.Equal(string.Concat(words.Select(w => $"<{w}>\n")), output);
    }
}
