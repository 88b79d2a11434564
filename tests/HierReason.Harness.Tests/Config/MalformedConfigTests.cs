using HierReason.Cli;

namespace HierReason.Harness.Tests.Config;

/// <summary>Every mistake in models.json or tasks.json exits 2 before any job starts, names the file and JSON path, and leaves nothing behind.</summary>
public sealed class MalformedConfigTests : IDisposable
{
    private const string GoodModels = """{ "models": [ { "name": "a", "backend": "local", "path": "m" } ] }""";
    private const string GoodTasks = """{ "tasks": [ { "task": "chain_sum" } ], "defaults": { "n": 2 } }""";
    private readonly TempDir _dir = new();

    public static TheoryData<string, string, string, string> Mistakes => new()
    {
        // file, content, expected JSON path, expected fragment of the message
        { "models", """{ "models": [ { "name": "a", "backend": "vllm", "path": "m" } ] }""", "$.models[0].backend", "one of local, openai" },
        { "models", """{ "models": [ { "name": "a", "backend": "local" } ] }""", "$.models[0]", "neither" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m", "train": "x.json" } ] }""", "$.models[0].train", "not both" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m" }, { "name": "a", "backend": "local", "path": "n" } ] }""", "$.models[1].name", "a second 'a'" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m", "generation": { "temperature": -0.5 } } ] }""", "$.models[0].generation.temperature", "[0, 10]" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m", "weights": "x" } ] }""", "$.models[0].weights", "unknown field" },
        { "models", """{ "models": [ { "name": 3, "backend": "local", "path": "m" } ] }""", "$.models[0].name", "a string" },
        { "models", """{ "models": [] }""", "$.models", "non-empty" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m", "base_url": "http://x" } ] }""", "$.models[0].base_url", "no remote field on a local model" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m", "chat_template": "alpaca" } ] }""", "$.models[0].chat_template", "chatml" },
        { "models", "{\n  \"models\": [\n    { \"name\": \"a\" \"backend\": \"local\" }\n  ]\n}", "$", "line 3" },
        { "models", """{ "models": [ { "name": "a", "backend": "openai", "model": "gpt" } ] }""", "$.models[0].base_url", "base URL" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m", "generation": { "max_new_tokens": 0 } } ] }""", "$.models[0].generation.max_new_tokens", "[1, 1000000]" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m", "enabled": "yes" } ] }""", "$.models[0].enabled", "if_api_key" },
        { "models", """[ { "name": "a" } ]""", "$", "a JSON object" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m", "generation": { "n": 0 } } ] }""", "$.models[0].generation.n", "[1, 1024]" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m" } ], "defaults": { "generation": { "n": 2.5 } } }""", "$.defaults.generation.n", "[1, 1024]" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "train": "tasks/experiments/tiny-sft.yaml" } ] }""", "$.models[0].train", "experiment file" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m", "generation": { "stop": "</answer>" } } ] }""", "$.models[0].generation.stop", "a list of stop strings" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m" }, { "name": "c", "strategy": "tree_search", "model": "a" } ] }""", "$.models[1].strategy", "best_of_n, calculator, flat_search, majority_vote, planner_worker, taxonomy, thinker_searcher, vanilla" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m" }, { "name": "c", "strategy": "calculator" } ] }""", "$.models[1].model", "plays 'model'" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m" }, { "name": "c", "strategy": "calculator", "model": "b" } ] }""", "$.models[1].model", "a model in this file (a)" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m" }, { "name": "c", "strategy": "calculator", "model": "a" }, { "name": "d", "strategy": "calculator", "model": "c" } ] }""", "$.models[2].model", "itself a composite" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m" }, { "name": "c", "strategy": "calculator", "model": "a", "path": "m" } ] }""", "$.models[1].path", "unknown field" },
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m" }, { "name": "c", "strategy": "calculator", "model": "a", "options": { "max_calls": -1 } } ] }""", "$.models[1].options.max_calls", "[0, 1000]" },
        { "tasks", """{ "tasks": [ { "task": "chain_sum", "n": 0 } ] }""", "$.tasks[0].n", "[1, 1000000]" },
        { "tasks", """{ "tasks": [ { "task": "chain_summ" } ] }""", "$.tasks[0].task", "a registered task" },
        { "tasks", """{ "tasks": [ { "task": "chain_sum" } ], "defaults": { "split": "eval" } }""", "$.defaults.split", "train, validation, test" },
        { "tasks", """{ "tasks": [ { "task": "chain_sum", "seeds": [0, 1.5] } ] }""", "$.tasks[0].seeds[1]", "an integer seed" },
        { "tasks", """{ "tasks": [] }""", "$.tasks", "non-empty" },
        { "tasks", """{ "tasks": [ { "task": "chain_sum", "level": 99 } ] }""", "$.tasks[0].level", "level in [0" },
        { "tasks", """{ "tasks": [ { "task": "chain_sum", "config": { "no_such_knob": 1 } } ] }""", "$.tasks[0].config.no_such_knob", "" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task Mistake_exits_2_naming_file_and_path_and_leaves_nothing_behind(string which, string content, string jsonPath, string fragment)
    {
        var models = _dir.Write("models.json", which == "models" ? content : GoodModels);
        var tasks = _dir.Write("tasks.json", which == "tasks" ? content : GoodTasks);
        var runs = _dir.Combine("runs");
        var output = _dir.Combine("results");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await HierReasonCli.RunAsync(
            ["bench", "--models-file", models, "--tasks-file", tasks, "--task-configs", RepoPaths.TaskConfigs, "--runs", runs, "--output", output], stdout, stderr);

        Assert.Equal(2, code);
        var message = stderr.ToString();
        Assert.Contains(which == "models" ? models : tasks, message);
        Assert.Contains(jsonPath, message);
        Assert.Contains(fragment, message);
        Assert.DoesNotContain("   at ", message); // no stack trace
        Assert.False(Directory.Exists(runs), "a run folder was created");
        Assert.False(Directory.Exists(output), "a results folder was created");
        Assert.Equal("", stdout.ToString());
    }

    [Fact]
    public void Valid_file_resolves_train_models_under_artifacts_models_and_inherits_defaults()
    {
        var set = HierReason.Harness.Config.ModelsFile.Parse(
            """{ "models": [ { "name": "s", "backend": "local", "train": "tasks/experiments/tiny-sft.json" }, { "name": "h", "backend": "openai", "base_url": "https://x.test/v1", "model": "m", "api_key_env": "HIERREASON_TEST_NO_SUCH_KEY", "enabled": "if_api_key" } ], "defaults": { "generation": { "max_new_tokens": 64 } } }""",
            "models.json", "/repo");

        Assert.Equal(Path.Combine("/repo", "artifacts", "models", "tiny-sft"), set.Models[0].Path);
        Assert.Equal(64, set.Models[0].Generation.MaxTokens);
        Assert.False(set.Models[1].Enabled);
        Assert.Equal(["s"], set.Enabled.Select(m => m.Name));
    }

    public void Dispose() => _dir.Dispose();
}
