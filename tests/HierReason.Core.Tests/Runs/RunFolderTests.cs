using System.Text.Json.Nodes;
using HierReason.Core.Results;
using HierReason.Core.Runs;

namespace HierReason.Core.Tests.Runs;

/// <summary>The run folder's layout and its job formats: paths inside the run are written relative to it and read back against wherever it is now.</summary>
public sealed class RunFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hierreason-run-folder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static EvalJob Job(string key, string modelPath = "/models/tiny") => new(key, "chain_sum", new JsonObject { ["terms"] = 3 }, 0, "test", 7, 4,
        new ModelSpec("tiny", "local", modelPath, null, null, null, GenerationSpec.Default, null, null, null, 1, "hash"), "cpu:0", "", "");

    [Fact]
    public void Every_file_of_a_job_lives_in_the_jobs_folder_of_its_run()
    {
        var run = RunLayout.In("/data/runs", "run-abc");

        Assert.Equal("/data/runs/run-abc", run.Folder);
        Assert.Equal("/data/runs/run-abc/run.json", run.RunFile);
        Assert.Equal("/data/runs/run-abc/manifest.jsonl", run.ManifestFile);
        Assert.Equal(
            ["/data/runs/run-abc/jobs/k.job.json", "/data/runs/run-abc/jobs/k.json", "/data/runs/run-abc/jobs/k.jsonl", "/data/runs/run-abc/jobs/k.log"],
            [run.JobFilePath("k"), run.ResultPath("k"), run.SamplesPath("k"), run.LogPath("k")]);
        var placed = run.Place(Job("k"));
        Assert.Equal(("/data/runs/run-abc/jobs/k.json", "/data/runs/run-abc/jobs/k.jsonl"), (placed.ResultPath, placed.SamplesPath));
        Assert.Equal(run, RunLayout.Containing(run.JobFilePath("k")));
        Assert.Equal(run, RunLayout.OfManifest(run.ManifestFile));
    }

    [Fact]
    public void Paths_inside_the_run_are_written_relative_and_paths_outside_stay_absolute()
    {
        var run = RunLayout.At("/data/runs/run-abc");

        Assert.Equal("jobs/k.json", run.Relative("/data/runs/run-abc/jobs/k.json"));
        Assert.Equal("/data/runs/other/jobs/k.json", run.Relative("/data/runs/other/jobs/k.json"));
        Assert.Equal("/data/runs/run-abc", run.Relative("/data/runs/run-abc"));
        Assert.Equal("", run.Relative(""));
        Assert.Equal("/moved/run-abc/jobs/k.json", RunLayout.At("/moved/run-abc").Resolve("jobs/k.json"));
        Assert.Equal("/data/runs/run-abc/jobs/k.json", RunLayout.At("/moved/run-abc").Resolve("/data/runs/run-abc/jobs/k.json"));
    }

    [Fact]
    public void A_job_file_holds_run_relative_paths_and_reads_back_against_the_folder_it_was_moved_to()
    {
        var run = RunLayout.At(Path.Combine(_dir, "run-a"));
        var job = run.Place(Job("k1"));
        JobFile.Write(run, job);
        var written = JsonNode.Parse(File.ReadAllText(run.JobFilePath("k1")))!;
        Assert.Equal(("jobs/k1.json", "jobs/k1.jsonl", "/models/tiny"),
            ((string)written["result_path"]!, (string)written["samples_path"]!, (string)written["model"]!["path"]!));

        var moved = RunLayout.At(Path.Combine(_dir, "elsewhere", "run-a"));
        Directory.CreateDirectory(Path.GetDirectoryName(moved.Folder)!);
        Directory.Move(run.Folder, moved.Folder);
        var read = JobFile.Read(moved.JobFilePath("k1"));

        Assert.Equal((moved.ResultPath("k1"), moved.SamplesPath("k1")), (read.ResultPath, read.SamplesPath));
        Assert.Equal((job.Key, job.Task, job.Seed, job.N, job.Device, job.Model.Path), (read.Key, read.Task, read.Seed, read.N, read.Device, read.Model.Path));
        Assert.Equal(job.Config.ToJsonString(), read.Config.ToJsonString());
    }

    [Fact]
    public void A_job_file_written_with_absolute_paths_by_an_older_version_still_reads_as_it_was()
    {
        var old = Path.Combine(_dir, "old", "jobs", "k2.job.json");
        Directory.CreateDirectory(Path.GetDirectoryName(old)!);
        File.WriteAllText(old, """
            { "key": "k2", "task": "chain_sum", "config": {}, "level": 0, "split": "test", "seed": 0, "n": 2,
              "model": { "name": "tiny", "backend": "local", "path": "/models/tiny", "train": null, "adapter": null, "chat_template": null,
                         "generation": { "temperature": 0, "top_p": 1, "max_tokens": 8, "stop": [], "seed": null }, "base_url": null,
                         "remote_model": null, "api_key_env": null, "max_concurrency": 1, "checkpoint_hash": "h", "dtype": "float32" },
              "device": "cpu:0", "result_path": "/somewhere/run-x/jobs/k2.json", "samples_path": "/somewhere/run-x/jobs/k2.jsonl",
              "batch_size": 2, "threads": 1 }
            """);

        var job = JobFile.Read(old);

        Assert.Equal(("/somewhere/run-x/jobs/k2.json", "/somewhere/run-x/jobs/k2.jsonl"), (job.ResultPath, job.SamplesPath));
        // Written before generation.n existed: one sample per item.
        Assert.Equal(1, job.Model.Generation.Samples);
    }

    [Fact]
    public void A_damaged_or_missing_job_file_is_a_user_error_naming_it()
    {
        var missing = Path.Combine(_dir, "run", "jobs", "nope.job.json");
        Assert.Equal($"{missing}: no such job file", Assert.Throws<HierReasonException>(() => JobFile.Read(missing)).Message);

        Directory.CreateDirectory(Path.GetDirectoryName(missing)!);
        File.WriteAllText(missing, "{ \"key\": ");
        Assert.StartsWith($"{missing}: not a job (", Assert.Throws<HierReasonException>(() => JobFile.Read(missing)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_holds_one_job_per_line_resolved_against_its_folder_and_refuses_blank_lines()
    {
        var run = RunLayout.At(Path.Combine(_dir, "run-m"));
        var jobs = new[] { run.Place(Job("a")), run.Place(Job("b")), run.Place(Job("c")) };
        RunManifest.Of(run, jobs, ["cpu:0"], "round-robin").Write(run, jobs);
        Assert.Equal(3, JobManifest.Count(run.ManifestFile));
        Assert.All(File.ReadAllLines(run.ManifestFile), l => Assert.StartsWith("jobs/", (string)JsonNode.Parse(l)!["result_path"]!, StringComparison.Ordinal));
        var manifest = RunManifest.Read(run);
        Assert.Equal(("run-m", "chain_sum (level 0)", "tiny", "round-robin"), (manifest.RunId, Assert.Single(manifest.Tasks), Assert.Single(manifest.Models), manifest.Schedule));

        var moved = RunLayout.At(Path.Combine(_dir, "moved-m"));
        Directory.Move(run.Folder, moved.Folder);
        Assert.Equal(["a", "b", "c"], JobManifest.Read(moved.ManifestFile).Select(j => j.Key));
        Assert.Equal(moved.ResultPath("b"), JobManifest.Read(moved.ManifestFile)[1].ResultPath);

        var lines = File.ReadAllLines(moved.ManifestFile);
        File.WriteAllText(moved.ManifestFile, lines[0] + "\n\n" + lines[2] + "\n");
        Assert.Contains("line 2", Assert.Throws<HierReasonException>(() => JobManifest.Count(moved.ManifestFile)).Message, StringComparison.Ordinal);
        Assert.Contains("line 2", Assert.Throws<HierReasonException>(() => JobManifest.Read(moved.ManifestFile)).Message, StringComparison.Ordinal);
        Assert.Throws<HierReasonException>(() => JobManifest.Count(Path.Combine(_dir, "missing.jsonl")));
    }
}
