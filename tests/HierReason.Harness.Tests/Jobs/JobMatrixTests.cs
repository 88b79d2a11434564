using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Core.Runs;
using HierReason.Harness.Config;
using HierReason.Harness.Jobs;

namespace HierReason.Harness.Tests.Jobs;

public sealed class JobMatrixTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static TaskSet Tasks(string json = """{ "tasks": [ { "task": "chain_sum", "seeds": [0, 1] }, { "task": "leg_counting" } ], "defaults": { "n": 5 } }""")
        => TaskSetFile.Parse(json, "tasks.json", RepoPaths.TaskConfigs);

    private ModelSet Models() => ModelsFile.Parse(
        """{ "models": [ { "name": "a", "backend": "local", "path": "a" }, { "name": "b", "backend": "local", "path": "b" }, { "name": "off", "backend": "local", "path": "c", "enabled": false } ] }""",
        "models.json", _dir.Path);

    [Fact]
    public void Expands_tasks_by_enabled_models_by_seeds_in_task_major_order()
    {
        var jobs = JobMatrix.Expand(Tasks(), Models(), new MatrixOptions());

        Assert.Equal(
            ["chain_sum a 0", "chain_sum a 1", "chain_sum b 0", "chain_sum b 1", "leg_counting a 0", "leg_counting b 0"],
            jobs.Select(j => $"{j.Task} {j.Model.Name} {j.Seed}"));
        Assert.All(jobs, j => Assert.Equal(5, j.N));
        Assert.Equal(jobs.Count, jobs.Select(j => j.Key).Distinct().Count());
    }

    [Fact]
    public void Filters_keep_only_named_tasks_and_models_and_naming_a_disabled_model_runs_it()
    {
        var jobs = JobMatrix.Expand(Tasks(), Models(), new MatrixOptions(OnlyTasks: ["leg_counting"], OnlyModels: ["b", "off"]));

        Assert.Equal(["leg_counting b 0", "leg_counting off 0"], jobs.Select(j => $"{j.Task} {j.Model.Name} {j.Seed}"));
    }

    [Fact]
    public void Unknown_filter_name_is_a_user_error_listing_what_exists()
    {
        var e = Assert.Throws<HierReasonException>(() => JobMatrix.Expand(Tasks(), Models(), new MatrixOptions(OnlyModels: ["zz"])));
        Assert.Contains("'zz'", e.Message);
        Assert.Contains("a, b, off", e.Message);
    }

    [Fact]
    public void Key_is_stable_ignores_device_and_paths_and_changes_with_checkpoint_bytes_seed_and_generation()
    {
        Directory.CreateDirectory(_dir.Combine("a"));
        File.WriteAllText(_dir.Combine("a", "config.json"), "{}");
        File.WriteAllBytes(_dir.Combine("a", "model.safetensors"), [1, 2, 3]);
        var first = JobMatrix.Expand(Tasks(), Models(), new MatrixOptions(OnlyModels: ["a"]));
        var again = JobMatrix.Expand(Tasks(), Models(), new MatrixOptions(OnlyModels: ["a"]));
        Assert.Equal(first.Select(j => j.Key), again.Select(j => j.Key));
        Assert.Equal(first.Select(j => j.Key), first.Select(j => RunLayout.At("/elsewhere").Place(j with { Device = "cuda:3" })).Select(j => j.Key));

        File.WriteAllBytes(_dir.Combine("a", "model.safetensors"), [1, 2, 4]);
        File.SetLastWriteTimeUtc(_dir.Combine("a", "model.safetensors"), DateTime.UtcNow.AddMinutes(1));
        var retrained = JobMatrix.Expand(Tasks(), Models(), new MatrixOptions(OnlyModels: ["a"]));
        Assert.Empty(first.Select(j => j.Key).Intersect(retrained.Select(j => j.Key)));

        var spec = first[0].Model;
        var k = JobKey.Compute("chain_sum", first[0].Config, null, "test", 0, 5, spec, "v1");
        Assert.NotEqual(k, JobKey.Compute("chain_sum", first[0].Config, null, "test", 1, 5, spec, "v1"));
        Assert.NotEqual(k, JobKey.Compute("chain_sum", first[0].Config, null, "test", 0, 5, spec with { Generation = spec.Generation with { Temperature = 0.7 } }, "v1"));
        Assert.NotEqual(k, JobKey.Compute("chain_sum", first[0].Config, null, "test", 0, 5, spec, "v2"));
        Assert.Matches("^[0-9a-f]{32}$", k);
    }

    // A fixed job identity, hashed by the code before generation.n existed (0.1.0 at commit 63a0365).
    private static readonly Core.Results.ModelSpec Pinned = new("m", "local", "/models/m", null, null, null,
        Core.Results.GenerationSpec.Default with { MaxTokens = 64 }, null, null, null, 1, "hash-m");

    [Fact]
    public void A_one_sample_key_is_the_key_it_was_before_samples_per_item_existed()
    {
        var config = new System.Text.Json.Nodes.JsonObject { ["max_terms"] = 3 };
        Assert.Equal("3dc29e6e31b354e37068fe441febf30d", JobKey.Compute("chain_sum", config, 0, "test", 2, 200, Pinned, "v1"));
    }

    [Fact]
    public void Samples_per_item_enter_the_key_and_the_job_cost()
    {
        var config = new System.Text.Json.Nodes.JsonObject { ["max_terms"] = 3 };
        var one = JobKey.Compute("chain_sum", config, 0, "test", 2, 200, Pinned, "v1");
        var four = Pinned with { Generation = Pinned.Generation with { Samples = 4 } };
        Assert.NotEqual(one, JobKey.Compute("chain_sum", config, 0, "test", 2, 200, four, "v1"));
        Assert.NotEqual(JobKey.Compute("chain_sum", config, 0, "test", 2, 200, four, "v1"),
            JobKey.Compute("chain_sum", config, 0, "test", 2, 200, Pinned with { Generation = Pinned.Generation with { Samples = 8 } }, "v1"));

        // models.json's generation.n, from defaults or the entry (a composite inherits its policy model's), reaches the jobs.
        var models = ModelsFile.Parse("""
            { "models": [ { "name": "a", "backend": "local", "path": "a", "generation": { "n": 4, "temperature": 1 } },
                          { "name": "b", "backend": "local", "path": "b" },
                          { "name": "c", "strategy": "calculator", "model": "a" } ],
              "defaults": { "generation": { "n": 2 } } }
            """, "models.json", _dir.Path);
        Assert.Equal([4, 2, 4], models.Models.Select(m => m.Generation.Samples));
        var jobs = JobMatrix.Expand(Tasks("""{ "tasks": [ { "task": "chain_sum" } ], "defaults": { "n": 5 } }"""), models, new MatrixOptions());
        Assert.Equal([4, 2, 4], jobs.Select(j => j.Model.Generation.Samples));
        Assert.Equal(5.0 * 4 * 256, JobMatrix.Cost(jobs[0]));
        Assert.Equal(1, ModelsFile.Parse("""{ "models": [ { "name": "a", "backend": "local", "path": "a" } ] }""", "m.json", _dir.Path).Models[0].Generation.Samples);
    }

    [Fact]
    public void Missing_model_folder_hashes_as_missing()
    {
        var jobs = JobMatrix.Expand(Tasks(), Models(), new MatrixOptions(OnlyModels: ["b"]));
        Assert.All(jobs, j => Assert.Equal(CheckpointHasher.Missing, j.Model.CheckpointHash));
    }

    public void Dispose() => _dir.Dispose();
}
