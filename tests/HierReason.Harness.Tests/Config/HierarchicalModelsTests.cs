using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Harness.Config;
using HierReason.Harness.Jobs;

namespace HierReason.Harness.Tests.Config;

/// <summary>What BenchmarkHierarchical's models file needs: a gold-plan composite with only a worker, models without a row of their own ("bench": false), and a "root" above the file.</summary>
public sealed class HierarchicalModelsTests : IDisposable
{
    private readonly TempDir _dir = new();

    private ModelSet Models(string extra = "", string plannerBench = "false") => ModelsFile.Parse($$"""
        {
          "models": [
            { "name": "worker", "backend": "local", "path": "w", "bench": false },
            { "name": "planner", "backend": "local", "path": "p", "bench": {{plannerBench}} },
            { "name": "S-planner", "strategy": "planner_worker", "planner": "planner", "worker": "worker" }
            {{extra}}
          ]
        }
        """, "models.json", _dir.Path);

    private static TaskSet Tasks() => TaskSetFile.Parse("""{ "tasks": [ { "task": "multi_step_arithmetic", "level": 2 } ], "defaults": { "n": 4 } }""", "tasks.json", RepoPaths.TaskConfigs);

    [Fact]
    public void A_gold_plan_composite_names_only_its_worker_and_runs_on_the_worker_entry()
    {
        var set = Models(extra: """, { "name": "O-gold", "strategy": "planner_worker", "worker": "worker", "options": { "plan": "gold", "combine": "exact" } }""");
        var gold = set.Models.Single(m => m.Name == "O-gold");
        Assert.Equal(new Dictionary<string, string> { ["worker"] = "worker" }, gold.Roles);
        Assert.Equal((_dir.Combine("w"), "gold", true), (gold.Path, (string)gold.StrategyOptions!["plan"]!, gold.Bench));
        var job = JobMatrix.Expand(Tasks(), set, new MatrixOptions()).Single(j => j.Model.Name == "O-gold");
        Assert.Equal(["worker"], job.Strategy!.Models!.Keys);
        Assert.Equal(_dir.Combine("w"), job.Strategy.Models["worker"].Path);
    }

    [Fact]
    public void A_gold_plan_composite_that_names_a_planner_names_the_file_and_the_json_path()
    {
        var e = Assert.Throws<ConfigException>(() =>
            Models(extra: """, { "name": "O-gold", "strategy": "planner_worker", "planner": "planner", "worker": "worker", "options": { "plan": "gold" } }"""));
        Assert.StartsWith("models.json: $.models[3].planner: expected no \"planner\" (strategy 'planner_worker' runs no planner model with options", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_without_a_bench_row_is_trained_and_loaded_but_only_its_composites_get_rows()
    {
        var set = Models();
        var jobs = JobMatrix.Expand(Tasks(), set, new MatrixOptions());
        Assert.Equal(["S-planner"], jobs.Select(j => j.Model.Name));
        Assert.Equal(["worker", "planner", "S-planner"], set.Enabled.Select(m => m.Name));
        Assert.Equal(["planner", "worker"], set.Loaded(null).Select(m => m.Name).Order(StringComparer.Ordinal));
        // With "bench": true the planner has its own vanilla row beside the composite.
        Assert.Equal(["planner", "S-planner"], JobMatrix.Expand(Tasks(), Models(plannerBench: "true"), new MatrixOptions()).Select(j => j.Model.Name));
    }

    [Fact]
    public void Naming_a_model_without_a_bench_row_in_only_models_says_to_name_its_composite()
    {
        var e = Assert.Throws<HierReasonException>(() => JobMatrix.Expand(Tasks(), Models(), new MatrixOptions(OnlyModels: ["planner"])));
        Assert.Equal("--models: 'planner' has \"bench\": false in models.json (no row of its own); name a composite that uses it", e.Message);
        Assert.Equal(["S-planner"], JobMatrix.Expand(Tasks(), Models(), new MatrixOptions(OnlyModels: ["S-planner"])).Select(j => j.Model.Name));
    }

    [Fact]
    public void A_bench_that_is_not_a_boolean_names_the_file_and_the_json_path()
    {
        var e = Assert.Throws<ConfigException>(() => Models(plannerBench: "\"no\""));
        Assert.StartsWith("models.json: $.models[1].bench: expected true or false", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_resolves_paths_and_trained_models_from_a_folder_above_the_file()
    {
        var json = """{ "root": "../..", "models": [ { "name": "t", "backend": "local", "train": "tasks/experiments/x.json" }, { "name": "p", "backend": "local", "path": "m" } ] }""";
        var set = ModelsFile.Parse(json, "models.json", _dir.Combine("tasks", "hierarchical"));
        Assert.Equal((_dir.Combine("artifacts", "models", "x"), _dir.Combine("tasks", "experiments", "x.json")), (set.Models[0].Path, set.Models[0].Train));
        Assert.Equal(_dir.Combine("m"), set.Models[1].Path);

        var e = Assert.Throws<ConfigException>(() => ModelsFile.Parse(json.Replace("../..", "no/such"), "models.json", _dir.Path));
        Assert.StartsWith("models.json: $.root: expected an existing folder, relative to this file's folder", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_hierarchical_files_bench_the_five_lettered_configurations_on_four_term_chains_and_level_2_of_multi_step_arithmetic()
    {
        var models = ModelsFile.Load(Path.Combine(RepoPaths.Root, "tasks", "hierarchical", "models.json"));
        var tasks = TaskSetFile.Load(Path.Combine(RepoPaths.Root, "tasks", "hierarchical", "tasks.json"), RepoPaths.TaskConfigs);
        var jobs = JobMatrix.Expand(tasks, models, new MatrixOptions());
        string[] letters = ["A-worker", "B-untrained-planner", "S-sft-planner", "C-grpo-planner", "O-gold-plan"];
        Assert.Equal(letters.Concat(letters), jobs.Select(j => j.Model.Name));
        Assert.All(jobs, j => Assert.Equal(("test", 200), (j.Split, j.N)));
        Assert.Equal(["chain_sum", "multi_step_arithmetic"], jobs.Select(j => j.Task).Distinct());
        Assert.All(jobs.Where(j => j.Task == "multi_step_arithmetic"), j => Assert.Equal(2, j.Level));
        var chain = jobs.First(j => j.Task == "chain_sum");
        Assert.Equal(4, (int)chain.Config["min_terms"]!);
        Assert.Equal(["vanilla", "planner_worker", "planner_worker", "planner_worker", "planner_worker"], jobs.Take(5).Select(j => j.StrategyName));
        Assert.All(jobs.Take(5).Skip(1), j => Assert.Equal("exact", (string)j.Strategy!.Options["combine"]!));
        Assert.Equal("gold", (string)jobs[4].Strategy!.Options["plan"]!);
        // The worker is tiny-sft, the main Benchmark's model at the same folder, and so are A's model and B's planner.
        var sft = ModelsFile.Load(Path.Combine(RepoPaths.Root, "models.json")).Models.Single(m => m.Name == "tiny-sft").Path;
        Assert.All(jobs.Take(5).Skip(1), j => Assert.Equal(sft, j.Strategy!.Models!["worker"].Path));
        Assert.Equal(["tiny-sft", "tiny-sft", "tiny-planner", "tiny-planner-grpo"], jobs.Take(4).Select(j => Path.GetFileName(j.Model.Path!)));
        Assert.Equal(["tiny-sft", "tiny-planner", "tiny-planner-grpo"], models.Models.Where(m => m.Train is not null).Select(m => m.Name));
        Assert.Equal(sft, models.Models[0].Path);
    }

    public void Dispose() => _dir.Dispose();
}
