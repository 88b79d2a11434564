using HierReason.Core;
using HierReason.Core.Tasks;
using HierReason.Engine.Inference;
using HierReason.Training.Experiments;
using HierReason.Training.Grpo;

namespace HierReason.Training.Tests.Experiments;

/// <summary>Experiments that train a planner: SFT on planner_worker's gold episodes, GRPO with a frozen worker, and the worker's sub-problem data.</summary>
public sealed class PlannerExperimentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-planner-exp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string json)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    private string Grpo(string environmentModels) => Write("planner.json", $$"""
        {
          "model": { "init": "tiny" },
          "data": { "tasks": [ { "task": "multi_step_arithmetic", "level": 0 } ] },
          "grpo": { "steps": 1, "environment": "planner_worker", "environment_options": { "combine": "exact" }{{environmentModels}} }
        }
        """);

    [Theory]
    [InlineData("", "$.grpo.environment_models", "a frozen model for each of the roles worker of 'planner_worker'")]
    [InlineData(", \"environment_models\": { \"worker\": { \"path\": \"no/such/worker\" } }", "$.grpo.environment_models.worker.path", "a model folder with config.json")]
    [InlineData(", \"environment_models\": { \"worker\": {} }", "$.grpo.environment_models.worker", "exactly one of \"from\"")]
    [InlineData(", \"environment_models\": { \"worker\": { \"from\": \"a\", \"path\": \"b\" } }", "$.grpo.environment_models.worker", "exactly one of \"from\"")]
    [InlineData(", \"environment_models\": { \"worker\": { \"form\": \"a\" } }", "$.grpo.environment_models.worker.form", "one of the fields from, path")]
    [InlineData(", \"environment_models\": { \"worker\": \"artifacts/models/tiny-worker\" }", "$.grpo.environment_models.worker", "an object")]
    [InlineData(", \"environment_models\": { \"worker\": { \"from\": \"w\" }, \"searcher\": { \"from\": \"s\" } }", "$.grpo.environment_models.searcher", "one of the frozen roles worker")]
    public void A_grpo_planner_without_a_usable_worker_names_the_file_the_json_path_and_the_expectation(string models, string jsonPath, string expected)
    {
        var path = Grpo(models);
        var e = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));
        Assert.StartsWith($"{path}: {jsonPath}: expected", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gold_plan_cannot_be_trained_since_no_planner_runs()
    {
        var path = Write("gold.json", """
            { "model": { "init": "tiny" }, "data": { "tasks": [ { "task": "multi_step_arithmetic", "level": 0 } ] },
              "grpo": { "steps": 1, "environment": "planner_worker", "environment_options": { "plan": "gold" }, "environment_models": { "worker": { "from": "w" } } } }
            """);
        var e = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));
        Assert.StartsWith($"{path}: $.grpo.environment_options: expected options under which 'planner_worker' runs its planner (the role a run trains)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_model_strategy_takes_no_environment_models()
    {
        var path = Write("calc.json", """
            { "model": { "init": "tiny" }, "data": { "tasks": [ { "task": "chain_sum" } ] },
              "grpo": { "environment": "calculator", "environment_models": { "worker": { "from": "w" } } } }
            """);
        var e = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));
        Assert.StartsWith($"{path}: $.grpo.environment_models: expected no environment_models (strategy 'calculator' calls no frozen model)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_path_resolves_against_the_file_and_a_from_folder_is_checked_when_the_run_is_built()
    {
        var worker = Path.Combine(_dir, "models", "w");
        LocalModel.InitTiny(worker, 1);
        var config = ExperimentConfig.Load(Grpo(", \"environment_models\": { \"worker\": { \"path\": \"models/w\" } }"));
        var model = config.Grpo!.FrozenModels["worker"];
        Assert.Equal((Path.GetFullPath(worker), null, "$.grpo.environment_models.worker.path"), (model.Path, model.From, model.JsonPath));

        // "from" may be written by an earlier experiment of the same `train --models`: parsing accepts it, the run refuses it before writing.
        var path = Grpo(", \"environment_models\": { \"worker\": { \"from\": \"no/such/tiny-worker\" } }");
        config = ExperimentConfig.Load(path) with { Output = Path.Combine(_dir, "out") };
        var e = Assert.Throws<ConfigException>(() => GrpoRun.Create(config, strategies: (_, _) => throw new InvalidOperationException("not reached")));
        Assert.StartsWith($"{path}: $.grpo.environment_models.worker.from: expected the worker's model folder (with config.json); train its experiment first", e.Message, StringComparison.Ordinal);
        Assert.Contains("'no/such/tiny-worker'", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(config.Output));
    }

    [Fact]
    public void Sft_learns_planner_worker_gold_episodes_without_naming_a_worker()
    {
        var path = Write("sft.json", """
            { "model": { "init": "tiny" }, "data": { "tasks": [ { "task": "multi_step_arithmetic", "level": 0 } ] },
              "sft": { "steps": 1, "max_seq_len": 1024, "environment": "planner_worker", "environment_options": { "combine": "exact" } } }
            """);
        var sft = ExperimentConfig.Load(path).Sft;
        Assert.Equal("planner_worker", sft.Environment);
        Assert.Equal("exact", (string)sft.EnvironmentOptions!["combine"]!);

        var named = Write("sft-models.json", """
            { "model": { "init": "tiny" }, "data": { "tasks": [ { "task": "multi_step_arithmetic" } ] },
              "sft": { "environment": "planner_worker", "environment_models": { "worker": { "from": "w" } } } }
            """);
        Assert.Contains("$.sft.environment_models: expected one of the fields", Assert.Throws<ConfigException>(() => ExperimentConfig.Load(named)).Message);
    }

    [Fact]
    public void A_subproblems_view_entry_yields_the_gold_sub_problems_of_its_items()
    {
        var path = Write("worker.json", """
            { "model": { "init": "tiny" }, "data": { "tasks": [
                { "task": "multi_step_arithmetic", "level": 2, "view": "subproblems" },
                { "task": "multi_step_arithmetic", "level": 2, "view": "whole" } ] } }
            """);
        var data = ExperimentConfig.Load(path).Data;
        Assert.Equal([ItemView.Subproblems, ItemView.Whole], data.Tasks.Select(t => t.View));
        var mixture = new TaskMixture(data.Tasks, Split.Train, data.Seed, 40);
        var task = data.Tasks[0].Task;
        for (var i = 0; i < mixture.Count; i++)
        {
            var item = mixture[i];
            var whole = task.Generate(data.Tasks[0].Config, Split.Train, data.Seed, i, 2);
            if (mixture.EntryIndex(i) == 1)
            {
                Assert.Equal((whole.Id, whole.Question, whole.Solution), (item.Id, item.Question, item.Solution));
                continue;
            }
            var subs = SubProblemView.Items(whole);
            var sub = subs[i % subs.Count];
            Assert.Equal((sub.Id, sub.Question, sub.Answer, sub.Solution), (item.Id, item.Question, item.Answer, item.Solution));
            Assert.Equal(1.0, task.Score(item.Answer, item));
            Assert.StartsWith(whole.Id + "/sub", item.Id, StringComparison.Ordinal);
        }
        Assert.Contains(Enumerable.Range(0, mixture.Count), i => mixture.EntryIndex(i) == 0);
        Assert.Contains(Enumerable.Range(0, mixture.Count), i => mixture.EntryIndex(i) == 1);
    }

    [Theory]
    [InlineData("{ \"task\": \"chain_sum\", \"view\": \"subproblems\" }", "$.data.tasks[0].view", "\"subproblems\" only for a task with a sub-problem view")]
    [InlineData("{ \"task\": \"multi_step_arithmetic\", \"view\": \"parts\" }", "$.data.tasks[0].view", "\"whole\" or \"subproblems\"")]
    public void A_bad_view_names_the_file_the_json_path_and_the_expectation(string entry, string jsonPath, string expected)
    {
        var path = Write("view.json", $$"""{ "model": { "init": "tiny" }, "data": { "tasks": [ {{entry}} ] } }""");
        var e = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));
        Assert.StartsWith($"{path}: {jsonPath}: expected", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tiny-worker.json")]
    [InlineData("tiny-planner.json")]
    [InlineData("tiny-planner-grpo.json")]
    public void The_shipped_planner_and_worker_experiments_load(string file)
    {
        var repo = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repo, "tasks.json"))) repo = Path.GetDirectoryName(repo)!;
        var config = ExperimentConfig.Load(Path.Combine(repo, "tasks", "experiments", file));
        Assert.Equal(Path.GetFileNameWithoutExtension(file), config.Name);
        Assert.All(config.Data.Tasks.Where(t => t.Task.Name == "multi_step_arithmetic"), t => Assert.InRange(t.Level ?? -1, 2, 3));
        if (config.Grpo is { } grpo)
        {
            Assert.Equal("planner_worker", grpo.Environment);
            // Relative to the experiment file: the repository's artifacts/models/tiny-sft, whatever the working directory.
            Assert.Equal(Path.Combine(repo, "artifacts", "models", "tiny-sft"), grpo.FrozenModels["worker"].Path);
        }
    }
}
