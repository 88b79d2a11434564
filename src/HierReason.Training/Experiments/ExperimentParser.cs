using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Core.Tasks;
using HierReason.Engine.Lora;

namespace HierReason.Training.Experiments;

/// <summary>Validates a merged experiment into an <see cref="ExperimentConfig"/>; every error names the file that set the offending value.</summary>
internal sealed class ExperimentParser(ExperimentMerge merge, string path, string? tasksDirectory)
{
    private static readonly string[] RootFields = ["name", "model", "data", "sft", "grpo", "output", "checkpoint", "eval"];

    public ExperimentConfig Parse()
    {
        var root = merge.Root;
        Reject(root, "$", RootFields);
        var name = root.TryGetPropertyValue("name", out var n)
            ? ExperimentJson.String(n, File("$.name"), "$.name")
            : Path.GetFileNameWithoutExtension(path);
        if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ConfigException(File("$.name"), "$.name", "a name usable as a folder name", $"'{name}'");
        var output = root.TryGetPropertyValue("output", out var o)
            ? ExperimentJson.String(o, File("$.output"), "$.output")
            : Path.Combine("artifacts", "models", name);
        var grpo = Object(root, "grpo", "$");
        return new ExperimentConfig(
            name, path,
            ParseModel(Object(root, "model", "$") ?? throw Missing("$.model", "the model to train")),
            ParseData(Object(root, "data", "$") ?? throw Missing("$.data", "the training tasks")),
            ParseSft(Object(root, "sft", "$") ?? new JsonObject()),
            (JsonObject?)grpo?.DeepClone(),
            output,
            ParseCheckpoint(Object(root, "checkpoint", "$") ?? new JsonObject()),
            ParseEval(Object(root, "eval", "$") ?? new JsonObject()));
    }

    private ModelSection ParseModel(JsonObject model)
    {
        const string p = "$.model";
        Reject(model, p, "init", "seed", "path", "device", "dtype", "lora");
        var init = OptionalString(model, "init", p);
        var folder = OptionalString(model, "path", p);
        if ((init is null) == (folder is null))
            throw new ConfigException(File(p), p, "exactly one of \"init\" (\"tiny\") and \"path\" (a HF model folder)", ExperimentJson.Found(model));
        if (init is not null && init != "tiny")
            throw new ConfigException(File(p + ".init"), p + ".init", "\"tiny\"", $"'{init}'");
        if (folder is not null)
            folder = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(File(p + ".path")))!, folder));
        var seed = Integer(model, "seed", p, 0, 0, long.MaxValue);
        var device = OptionalString(model, "device", p) ?? "cpu";
        var dtype = OptionalString(model, "dtype", p) ?? "float32";
        CheckEngine(p + ".device", () => HierReason.Engine.Models.DeviceSpec.ParseDeviceType(device, out _), "\"cpu\", \"cuda\" or \"cuda:N\"", device);
        CheckEngine(p + ".dtype", () => HierReason.Engine.Models.DeviceSpec.ParseDType(dtype), "\"float32\", \"bfloat16\" or \"float16\"", dtype);
        var lora = Object(model, "lora", p) is { } l ? ParseLora(l, p + ".lora") : null;
        return new ModelSection(init, seed, folder, device, dtype, lora);
    }

    private LoraConfig ParseLora(JsonObject lora, string p)
    {
        Reject(lora, p, "r", "alpha", "dropout", "target_modules");
        var targets = new List<string>();
        if (lora.TryGetPropertyValue("target_modules", out var t))
        {
            var array = t as JsonArray ?? throw new ConfigException(File(p + ".target_modules"), p + ".target_modules", "a list of module names", ExperimentJson.Found(t));
            for (var i = 0; i < array.Count; i++)
            {
                var at = $"{p}.target_modules[{i}]";
                var module = ExperimentJson.String(array[i], File(at), at);
                if (!LoraConfig.AllTargets.Contains(module))
                    throw new ConfigException(File(at), at, $"one of {string.Join(", ", LoraConfig.AllTargets)}", $"'{module}'");
                targets.Add(module);
            }
            if (targets.Count == 0) throw new ConfigException(File(p + ".target_modules"), p + ".target_modules", "at least one module name", "[]");
        }
        var config = new LoraConfig
        {
            R = (int)Integer(lora, "r", p, 8, 1, 4096),
            Alpha = Number(lora, "alpha", p, 16, 1e-9, 1e9),
            Dropout = Number(lora, "dropout", p, 0, 0, 0.999),
        };
        return targets.Count > 0 ? config with { TargetModules = targets } : config;
    }

    private DataSection ParseData(JsonObject data)
    {
        const string p = "$.data";
        Reject(data, p, "tasks", "seed");
        var seed = Integer(data, "seed", p, 0, 0, long.MaxValue);
        if (!data.TryGetPropertyValue("tasks", out var tasksNode) || tasksNode is not JsonArray tasks || tasks.Count == 0)
            throw new ConfigException(File(p + ".tasks"), p + ".tasks", "a non-empty list of {task, weight, level?, config?}", tasksNode is null ? "nothing" : ExperimentJson.Found(tasksNode));
        var entries = new List<MixtureEntry>();
        for (var i = 0; i < tasks.Count; i++)
        {
            var at = $"{p}.tasks[{i}]";
            var entry = tasks[i] as JsonObject ?? throw new ConfigException(File(at), at, "an object {task, weight, level?, config?}", ExperimentJson.Found(tasks[i]));
            Reject(entry, at, "task", "weight", "level", "config");
            var name = entry.TryGetPropertyValue("task", out var tn)
                ? ExperimentJson.String(tn, File(at + ".task"), at + ".task")
                : throw Missing(at + ".task", "a task name");
            var task = TaskRegistry.Default.TryGet(name)
                ?? throw new ConfigException(File(at + ".task"), at + ".task", $"a registered task (one of: {string.Join(", ", TaskRegistry.Default.Names)})", $"'{name}'");
            var weight = Number(entry, "weight", at, 1.0, double.Epsilon, 1e9);
            int? level = entry.ContainsKey("level") ? (int)Integer(entry, "level", at, 0, 0, 1000) : null;
            var taskFile = TaskConfigFile.ForTask(task, tasksDirectory);
            var baseConfig = taskFile.ConfigAt(level, File(at + ".level"), at + ".level");
            var overrides = Object(entry, "config", at);
            var config = overrides is null ? baseConfig : task.ParseConfig(overrides, File(at + ".config"), at + ".config", baseConfig);
            entries.Add(new MixtureEntry(task, config, weight, level));
        }
        return new DataSection(entries, seed);
    }

    private SftSection ParseSft(JsonObject sft)
    {
        const string p = "$.sft";
        Reject(sft, p, "steps", "batch_size", "grad_accum", "learning_rate", "warmup_steps", "weight_decay", "max_grad_norm", "max_seq_len", "min_lr_ratio");
        var steps = (int)Integer(sft, "steps", p, 1000, 0, int.MaxValue);
        var warmup = (int)Integer(sft, "warmup_steps", p, 0, 0, int.MaxValue);
        return new SftSection(
            steps,
            (int)Integer(sft, "batch_size", p, 8, 1, 1 << 20),
            (int)Integer(sft, "grad_accum", p, 1, 1, 1 << 20),
            Number(sft, "learning_rate", p, 1e-3, 0, 10),
            warmup,
            Number(sft, "weight_decay", p, 0.0, 0, 10),
            Number(sft, "max_grad_norm", p, 1.0, 0, 1e9),
            (int)Integer(sft, "max_seq_len", p, 512, 2, 1 << 20),
            Number(sft, "min_lr_ratio", p, 0.0, 0, 1));
    }

    private CheckpointSection ParseCheckpoint(JsonObject checkpoint)
    {
        const string p = "$.checkpoint";
        Reject(checkpoint, p, "every", "keep_last");
        return new CheckpointSection((int)Integer(checkpoint, "every", p, 0, 0, int.MaxValue), (int)Integer(checkpoint, "keep_last", p, 2, 1, 1000));
    }

    private EvalSection ParseEval(JsonObject eval)
    {
        const string p = "$.eval";
        Reject(eval, p, "every", "n", "split");
        var splitText = OptionalString(eval, "split", p) ?? "validation";
        if (!Splits.TryParse(splitText, out var split))
            throw new ConfigException(File(p + ".split"), p + ".split", "train, validation or test", $"'{splitText}'");
        return new EvalSection((int)Integer(eval, "every", p, 0, 0, int.MaxValue), (int)Integer(eval, "n", p, 100, 1, 1_000_000), split);
    }

    private string File(string jsonPath) => merge.FileOf(jsonPath);

    private ConfigException Missing(string jsonPath, string what) => new(File(jsonPath), jsonPath, $"{what} (a required field)", "nothing");

    private void Reject(JsonObject obj, string at, params string[] allowed)
    {
        foreach (var (key, _) in obj)
            if (Array.IndexOf(allowed, key) < 0)
                throw new ConfigException(File($"{at}.{key}"), $"{at}.{key}", $"one of the fields {string.Join(", ", allowed)}", $"unknown field '{key}'");
    }

    private JsonObject? Object(JsonObject parent, string key, string at)
    {
        if (!parent.TryGetPropertyValue(key, out var node)) return null;
        return node as JsonObject ?? throw new ConfigException(File($"{at}.{key}"), $"{at}.{key}", "an object", ExperimentJson.Found(node));
    }

    private string? OptionalString(JsonObject parent, string key, string at) =>
        parent.TryGetPropertyValue(key, out var node) ? ExperimentJson.String(node, File($"{at}.{key}"), $"{at}.{key}") : null;

    private long Integer(JsonObject parent, string key, string at, long fallback, long min, long max) =>
        parent.TryGetPropertyValue(key, out var node) ? ExperimentJson.Integer(node, File($"{at}.{key}"), $"{at}.{key}", min, max) : fallback;

    private double Number(JsonObject parent, string key, string at, double fallback, double min, double max) =>
        parent.TryGetPropertyValue(key, out var node) ? ExperimentJson.Number(node, File($"{at}.{key}"), $"{at}.{key}", min, max) : fallback;

    private void CheckEngine(string at, Action parse, string expected, string found)
    {
        try { parse(); }
        catch (HierReason.Engine.EngineException) { throw new ConfigException(File(at), at, expected, $"'{found}'"); }
    }
}
