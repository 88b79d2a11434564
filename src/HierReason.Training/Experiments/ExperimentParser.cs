using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Core.Episodes;
using HierReason.Core.IO;
using HierReason.Core.Steps;
using HierReason.Core.Tasks;
using HierReason.Engine.Lora;
using HierReason.Training.Grpo;
using HierReason.Training.Optim;
using HierReason.Training.Rewards;

namespace HierReason.Training.Experiments;

/// <summary>Validates a merged experiment into an <see cref="ExperimentConfig"/>; every error names the file that set the offending value.</summary>
internal sealed class ExperimentParser(ExperimentMerge merge, string path, string? tasksDirectory)
{
    private IReadOnlyList<MixtureEntry> ParsedTasks { get; set; } = [];

    public ExperimentConfig Parse()
    {
        var root = merge.Root;
        Reject(root, "$", ExperimentKeys.Root);
        var name = root.TryGetPropertyValue("name", out var n)
            ? ExperimentJson.String(n, File("$.name"), "$.name")
            : Path.GetFileNameWithoutExtension(path);
        // The name becomes artifacts/models/<name>: ".." would train into artifacts/ itself.
        if (PathSegmentName.Problem(name) is { } problem)
            throw new ConfigException(File("$.name"), "$.name", PathSegmentName.Expected,
                $"{PathSegmentName.Quote(name)} ({problem}{(root.ContainsKey("name") ? "" : "; taken from the file name")})");
        var output = root.TryGetPropertyValue("output", out var o)
            ? ExperimentJson.String(o, File("$.output"), "$.output")
            : Path.Combine("artifacts", "models", name);
        var grpo = Object(root, "grpo", "$");
        var model = ParseModel(Object(root, "model", "$") ?? throw Missing("$.model", "the model to train"));
        var data = ParseData(Object(root, "data", "$") ?? throw Missing("$.data", "the training tasks"));
        ParsedTasks = data.Tasks;
        var curriculum = Object(root, "curriculum", "$") is { } c ? ParseCurriculum(c, Object(root, "data", "$")!) : null;
        if (curriculum is not null && grpo is null)
            throw new ConfigException(File("$.curriculum"), "$.curriculum", "a \"grpo\" section too (the curriculum drives GRPO prompts only)", "no grpo section");
        var config = new ExperimentConfig(
            name, path,
            model,
            data,
            ParseSft(Object(root, "sft", "$") ?? new JsonObject()),
            grpo is null ? null : ParseGrpo(grpo),
            output,
            ParseCheckpoint(Object(root, "checkpoint", "$") ?? new JsonObject()),
            ParseEval(Object(root, "eval", "$") ?? new JsonObject()),
            root.ToJsonString(),
            curriculum)
        {
            Merge = merge,
        };
        // Budgets are checked against the model now when it can be known (init, an existing folder); SftRun/GrpoRun check again.
        if (TokenBudgets.ModelFacts(model) is { } facts)
            TokenBudgets.Check(config, facts.Tokenizer, facts.Template, facts.Context, File);
        return config;
    }

    private ModelSection ParseModel(JsonObject model)
    {
        const string p = "$.model";
        Reject(model, p, ExperimentKeys.Model);
        var init = OptionalString(model, "init", p);
        var folder = OptionalString(model, "path", p);
        var from = OptionalString(model, "from", p);
        if (new[] { init, folder, from }.Count(v => v is not null) != 1)
            throw new ConfigException(File(p), p,
                "exactly one of \"init\" (\"tiny\" or \"tiny-small\"), \"path\" (a HF model folder, relative to the file) and \"from\" (a folder train wrote, relative to the file)",
                ExperimentJson.Found(model));
        if (init is not null && !HierReason.Engine.Models.ModelConfig.EmbeddedNames.Contains(init))
            throw new ConfigException(File(p + ".init"), p + ".init", string.Join(" or ", HierReason.Engine.Models.ModelConfig.EmbeddedNames.Select(n => $"\"{n}\"")), $"'{init}'");
        if (folder is not null) folder = RelativeToFile(folder, p + ".path");
        if (from is not null) folder = FromFolder(from, p + ".from");
        var seed = Integer(model, "seed", p, 0, 0, long.MaxValue);
        var device = OptionalString(model, "device", p) ?? "cpu";
        var dtype = OptionalString(model, "dtype", p) ?? "float32";
        CheckEngine(p + ".device", () => HierReason.Engine.Models.DeviceSpec.ParseDeviceType(device, out _), "\"cpu\", \"cuda\" or \"cuda:N\"", device);
        CheckEngine(p + ".dtype", () => HierReason.Engine.Models.DeviceSpec.ParseDType(dtype), "\"float32\", \"bfloat16\" or \"float16\"", dtype);
        var lora = Object(model, "lora", p) is { } l ? ParseLora(l, p + ".lora") : null;
        var warm = Choice(model, "optimizer_state", p, false, ("fresh", false), ("from_model", true));
        if (warm && (from is null || lora is not null))
            throw new ConfigException(File(p + ".optimizer_state"), p + ".optimizer_state",
                "\"from_model\" only with \"from\" (a folder train wrote, with its optimiser state) and no \"lora\" (an adapter's parameters are not the model's)",
                from is null ? "no \"from\"" : "a \"lora\" section");
        return new ModelSection(init, seed, folder, device, dtype, lora, from) { OptimizerStateFromModel = warm };
    }

    /// <summary>
    /// A <c>from</c> folder (one <c>hierreason train</c> writes), relative to the file that set <paramref name="jsonPath"/>, like
    /// <c>path</c> and <c>_base_</c>. For one release a folder that exists only relative to the working directory (the old
    /// meaning) is still taken, with a warning; when neither exists yet (an earlier experiment writes it), the file's.
    /// </summary>
    private string FromFolder(string from, string jsonPath)
    {
        var relativeToFile = RelativeToFile(from, jsonPath);
        if (Directory.Exists(relativeToFile) || Path.IsPathRooted(from)) return relativeToFile;
        var relativeToWorkingDirectory = Path.GetFullPath(from);
        if (!Directory.Exists(relativeToWorkingDirectory)) return relativeToFile;
        ConfigDeprecation.Warn($"warning: {File(jsonPath)}: {jsonPath}: '{from}' resolves against the working directory, a deprecated meaning; " +
            $"\"from\" is relative to the experiment file now: write '{Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(File(jsonPath)))!, relativeToWorkingDirectory)}'");
        return relativeToWorkingDirectory;
    }

    /// <summary>A folder written relative to the file that set <paramref name="jsonPath"/>, resolved.</summary>
    private string RelativeToFile(string folder, string jsonPath) =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(File(jsonPath)))!, folder));

    private LoraConfig ParseLora(JsonObject lora, string p)
    {
        Reject(lora, p, ExperimentKeys.Lora);
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
        Reject(data, p, ExperimentKeys.Data);
        var seed = Integer(data, "seed", p, 0, 0, long.MaxValue);
        if (!data.TryGetPropertyValue("tasks", out var tasksNode) || tasksNode is not JsonArray tasks || tasks.Count == 0)
            throw new ConfigException(File(p + ".tasks"), p + ".tasks", "a non-empty list of {task, weight, level?, config?}", tasksNode is null ? "nothing" : ExperimentJson.Found(tasksNode));
        var entries = new List<MixtureEntry>();
        for (var i = 0; i < tasks.Count; i++)
        {
            var at = $"{p}.tasks[{i}]";
            var entry = tasks[i] as JsonObject ?? throw new ConfigException(File(at), at, "an object {task, weight, level?, config?}", ExperimentJson.Found(tasks[i]));
            Reject(entry, at, ExperimentKeys.DataTask);
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
            entries.Add(new MixtureEntry(task, config, weight, level, ParseView(entry, at, task)));
        }
        return new DataSection(entries, seed);
    }

    /// <summary><c>view</c> of a data entry: "whole" (the default) or "subproblems" where the task has a sub-problem view.</summary>
    private ItemView ParseView(JsonObject entry, string at, IReasoningTask task)
    {
        var text = OptionalString(entry, "view", at);
        if (text is null) return ItemView.Whole;
        if (!ItemViews.TryParse(text, out var view))
            throw new ConfigException(File(at + ".view"), at + ".view", $"\"{ItemViews.WholeName}\" or \"{ItemViews.SubproblemsName}\"", $"'{text}'");
        if (view == ItemView.Subproblems && !SubProblemView.Supports(task))
            throw new ConfigException(File(at + ".view"), at + ".view", "\"subproblems\" only for a task with a sub-problem view (multi_step_arithmetic)", $"task '{task.Name}'");
        return view;
    }

    private SftSection ParseSft(JsonObject sft)
    {
        const string p = "$.sft";
        Reject(sft, p, ExperimentKeys.Sft);
        var steps = (int)Integer(sft, "steps", p, 1000, 0, int.MaxValue);
        // SFT learns gold episodes, whose frozen roles' text is written from the task's metadata: no model is needed.
        var (environment, environmentOptions, _) = ParseEnvironment(sft, p, frozenModels: false);
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
            Number(sft, "min_lr_ratio", p, 0.0, 0, 1),
            environment,
            // Vanilla has no options; null keeps sections equal as records (JsonObject compares by reference).
            environment == EpisodeStrategy.VanillaName ? null : environmentOptions,
            (int)Integer(sft, "bucket_steps", p, SftSection.DefaultBucketSteps, 1, 1 << 16));
    }

    private GrpoSection ParseGrpo(JsonObject grpo)
    {
        const string p = "$.grpo";
        Reject(grpo, p, ExperimentKeys.Grpo);
        var defaults = new GrpoOptions();
        var maxLength = (int)Integer(grpo, "max_new_tokens", p, defaults.MaxCompletionLength, 1, 1 << 20);
        var options = new GrpoOptions
        {
            NumGenerations = (int)Integer(grpo, "num_generations", p, defaults.NumGenerations, 2, 1 << 16),
            LossType = Choice(grpo, "loss_type", p, defaults.LossType, ("grpo", LossType.Grpo), ("bnpo", LossType.Bnpo), ("dr_grpo", LossType.DrGrpo), ("dapo", LossType.Dapo)),
            Epsilon = Number(grpo, "epsilon", p, defaults.Epsilon, 1e-9, 0.999999),
            EpsilonHigh = grpo.TryGetPropertyValue("epsilon_high", out var high) && high is not null
                ? ExperimentJson.Number(high, File(p + ".epsilon_high"), p + ".epsilon_high", 1e-9, 1e9) : null,
            Beta = Number(grpo, "beta", p, defaults.Beta, 0, 1e9),
            LabelKl = Number(grpo, "label_kl", p, defaults.LabelKl, 0, 1e9),
            NumIterations = (int)Integer(grpo, "num_iterations", p, defaults.NumIterations, 1, 1000),
            ScaleRewards = Choice(grpo, "scale_rewards", p, defaults.ScaleRewards, ("group", RewardScaling.Group), ("batch", RewardScaling.Batch), ("none", RewardScaling.None)),
            MaskTruncatedCompletions = Boolean(grpo, "mask_truncated_completions", p, defaults.MaskTruncatedCompletions),
            DynamicSampling = Boolean(grpo, "dynamic_sampling", p, defaults.DynamicSampling),
            Temperature = Number(grpo, "temperature", p, defaults.Temperature, 1e-6, 100),
            TopP = Number(grpo, "top_p", p, defaults.TopP, 1e-9, 1),
            MaxCompletionLength = maxLength,
            OverlongCacheLength = (int)Integer(grpo, "overlong_cache_length", p, Math.Min(defaults.OverlongCacheLength, Math.Max(1, maxLength / 4)), 1, Math.Max(1, maxLength - 1)),
            Seed = Integer(grpo, "seed", p, defaults.Seed, 0, long.MaxValue),
            NegativeAdvantageScale = Number(grpo, "negative_advantage_scale", p, defaults.NegativeAdvantageScale, 0, 1),
            Advantage = Choice(grpo, "advantage", p, defaults.Advantage, ("outcome", AdvantageKind.Outcome), ("process", AdvantageKind.Process)),
        };
        try { options.Validate(); }
        catch (TrainingException e) { throw new ConfigException(File(p), p, "consistent GRPO settings", e.Message); }
        var steps = (int)Integer(grpo, "steps", p, 100, 0, int.MaxValue);
        var (environment, environmentOptions, environmentModels) = ParseEnvironment(grpo, p, frozenModels: true);
        var rewardSettings = new RewardSettings { OverlongCacheLength = options.OverlongCacheLength };
        var overrides = Object(grpo, "rewards", p) ?? new JsonObject();
        foreach (var (key, value) in overrides)
        {
            var at = $"{p}.rewards.{key}";
            if (!RewardRegistry.Default.Names.Contains(key))
                throw new ConfigException(File(at), at, $"a reward name (one of: {string.Join(", ", RewardRegistry.Default.Names)})", $"'{key}'");
            ExperimentJson.Number(value, File(at), at, 0, 1e9);
        }
        var rewards = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        foreach (var entry in ParsedTasks)
        {
            var weights = new Dictionary<string, double>(TaskConfigFile.ForTask(entry.Task, tasksDirectory).Rewards, StringComparer.Ordinal);
            foreach (var (key, value) in overrides) weights[key] = value!.GetValue<double>();
            foreach (var zero in weights.Where(w => w.Value == 0).Select(w => w.Key).ToList()) weights.Remove(zero);
            if (weights.Count == 0) throw new ConfigException(File(p + ".rewards"), p + ".rewards", $"at least one reward with a positive weight for {entry.Task.Name}", "all weights 0");
            rewards[entry.Task.Name] = weights;
        }
        return new GrpoSection(
            options,
            steps,
            (int)Integer(grpo, "prompts_per_step", p, 8, 1, 1 << 16),
            (int)Integer(grpo, "grad_accum", p, 1, 1, 1 << 16),
            Number(grpo, "learning_rate", p, 1e-6, 0, 10),
            (int)Integer(grpo, "warmup_steps", p, 0, 0, int.MaxValue),
            Number(grpo, "weight_decay", p, 0.0, 0, 10),
            Number(grpo, "max_grad_norm", p, 1.0, 0, 1e9),
            Number(grpo, "min_lr_ratio", p, 0.0, 0, 1),
            rewards,
            rewardSettings,
            environment,
            environmentOptions,
            (int)Integer(grpo, "max_bad_steps", p, 5, 1, 1_000_000),
            (int)Integer(grpo, "max_generation_batches", p, 3, 1, 1000),
            environmentModels)
        {
            Optimizer = Choice(grpo, "optimizer", p, OptimizerKind.AdamW, ("adamw", OptimizerKind.AdamW), ("sgd", OptimizerKind.Sgd)),
            Momentum = SgdMomentum(grpo, p),
            MeasureUpdate = Boolean(grpo, "measure_update", p, false),
            ProcessReward = ProcessReward(grpo, p, options.Advantage),
        };
    }

    /// <summary>
    /// <c>process_reward</c>, only with <c>"advantage": "process"</c>: "oracle" (the default), which needs an oracle step
    /// checker for every task of the data, or a PRM folder (<c>hierreason prm train --output</c>) relative to the file, resolved.
    /// </summary>
    private string ProcessReward(JsonObject grpo, string p, AdvantageKind advantage)
    {
        var at = p + ".process_reward";
        var text = OptionalString(grpo, "process_reward", p);
        if (text is not null && advantage != AdvantageKind.Process)
            throw new ConfigException(File(at), at, "process_reward only with \"advantage\": \"process\"", "advantage " + (OptionalString(grpo, "advantage", p) ?? "outcome (the default)"));
        if (advantage != AdvantageKind.Process) return OracleStepRewards.Name;
        text ??= OracleStepRewards.Name;
        if (text != OracleStepRewards.Name)
        {
            var folder = RelativeToFile(text, at);
            if (!System.IO.File.Exists(Path.Combine(folder, "config.json")))
                throw new ConfigException(File(at), at, $"\"{OracleStepRewards.Name}\" (the task's oracle step checker) or a PRM folder with config.json (hierreason prm train --output)", $"'{text}' ({folder})");
            return folder;
        }
        foreach (var entry in ParsedTasks)
            if (!StepCheckerRegistry.Default.Has(entry.Task.Name))
                throw new ConfigException(File(at), at, $"a process reward for every task: task '{entry.Task.Name}' has no oracle step checker " +
                    $"(tasks with one: {string.Join(", ", StepCheckerRegistry.Default.Tasks)}); use \"advantage\": \"outcome\"", $"'{text}'");
        return text;
    }

    /// <summary><c>momentum</c> in [0, 1), only where <c>optimizer</c> is "sgd" (AdamW has betas, not a momentum).</summary>
    private double SgdMomentum(JsonObject section, string p)
    {
        var optimizer = OptionalString(section, "optimizer", p);
        if (section.ContainsKey("momentum") && optimizer != "sgd")
            throw new ConfigException(File(p + ".momentum"), p + ".momentum", "momentum only with \"optimizer\": \"sgd\"", "optimizer " + (optimizer ?? "adamw (the default)"));
        return Number(section, "momentum", p, 0.9, 0, 0.999999);
    }

    /// <summary>
    /// <c>environment</c> of the sft or grpo section (a strategy of <see cref="StrategyCatalog"/>; "none" is the old name of
    /// vanilla) and its options: <c>environment_options</c>, plus the older <c>grpo.max_calls</c> for the calculator. With
    /// <paramref name="frozenModels"/> (GRPO rolls out, so a strategy's other roles must answer) also
    /// <c>environment_models</c>: a model for each frozen role, <c>{"from": …}</c> or <c>{"path": …}</c> as <c>model</c>.
    /// </summary>
    private (string Name, JsonObject Options, IReadOnlyDictionary<string, EnvironmentModel> Models) ParseEnvironment(JsonObject section, string p, bool frozenModels)
    {
        var name = OptionalString(section, "environment", p) ?? EpisodeStrategy.VanillaName;
        if (name == "none") name = EpisodeStrategy.VanillaName;
        var descriptor = StrategyCatalog.Default.Get(name, File(p + ".environment"), p + ".environment");
        // Selection strategies choose among samples at evaluation; a rollout is every sample, so training one would train vanilla.
        if (name is StrategyCatalog.MajorityVoteName or StrategyCatalog.BestOfNName)
            throw new ConfigException(File(p + ".environment"), p + ".environment", "an environment a policy is trained in (selection strategies are benchmark rows only)", $"'{name}'");
        var options = Object(section, "environment_options", p)?.DeepClone().AsObject() ?? new JsonObject();
        if (section.TryGetPropertyValue("max_calls", out var maxCalls))
        {
            if (name != "calculator") throw new ConfigException(File(p + ".max_calls"), p + ".max_calls", "max_calls only with \"environment\": \"calculator\"", $"environment '{name}'");
            options["max_calls"] = maxCalls?.DeepClone();
        }
        var at = section.ContainsKey("environment_options") ? p + ".environment_options" : p;
        var checkedOptions = descriptor.Options(options, File(at), at);
        var models = frozenModels ? ParseEnvironmentModels(section, p, descriptor, checkedOptions) : new Dictionary<string, EnvironmentModel>();
        // A run trains the policy role: options under which it never runs (planner_worker's gold plan) leave nothing to learn.
        if (!descriptor.RolesFor(checkedOptions).Contains(descriptor.PolicyRole))
            throw new ConfigException(File(at), at, $"options under which '{name}' runs its {descriptor.PolicyRole} (the role a run trains)", checkedOptions.ToJsonString());
        return (name, checkedOptions, models);
    }

    /// <summary>
    /// <c>grpo.environment_models</c>: exactly the frozen roles the strategy calls under its checked options (thinker_searcher
    /// with a scripted searcher calls none), each <c>{"from": folder train wrote}</c> (relative
    /// to the file, checked when the run is built: an earlier experiment may write it) or <c>{"path": HF folder}</c>
    /// (relative to the file, checked now).
    /// </summary>
    private Dictionary<string, EnvironmentModel> ParseEnvironmentModels(JsonObject section, string p, StrategyDescriptor descriptor, JsonObject checkedOptions)
    {
        var at = p + ".environment_models";
        var given = Object(section, "environment_models", p);
        var roles = descriptor.RolesFor(checkedOptions).Where(r => r != descriptor.PolicyRole).ToArray();
        var models = new Dictionary<string, EnvironmentModel>(StringComparer.Ordinal);
        if (roles.Length == 0)
        {
            if (given is not null)
                throw new ConfigException(File(at), at, $"no environment_models (strategy '{descriptor.Name}' calls no frozen model{(descriptor.FrozenRoles.Any() ? " with these options" : "")})", ExperimentJson.Found(given));
            return models;
        }
        if (given is null)
            throw new ConfigException(File(p + ".environment"), at,
                $"a frozen model for each of the roles {string.Join(", ", roles)} of '{descriptor.Name}', e.g. {{\"{roles[0]}\": {{\"from\": \"artifacts/models/tiny-worker\"}}}}", "nothing");
        foreach (var (role, _) in given)
            if (Array.IndexOf(roles, role) < 0)
                throw new ConfigException(File($"{at}.{role}"), $"{at}.{role}", $"one of the frozen roles {string.Join(", ", roles)} of '{descriptor.Name}'", $"role '{role}'");
        foreach (var role in roles)
        {
            var rp = $"{at}.{role}";
            var model = Object(given, role, at) ?? throw new ConfigException(File(at), rp, $"the {role}'s model, {{\"from\": …}} or {{\"path\": …}}", "nothing");
            Reject(model, rp, ExperimentKeys.EnvironmentModel);
            var from = OptionalString(model, "from", rp);
            var folder = OptionalString(model, "path", rp);
            if ((from is null) == (folder is null))
                throw new ConfigException(File(rp), rp, "exactly one of \"from\" (a folder train wrote) and \"path\" (a HF model folder), relative to the file",
                    ExperimentJson.Found(model));
            if (folder is not null)
            {
                var resolved = RelativeToFile(folder, rp + ".path");
                if (!System.IO.File.Exists(Path.Combine(resolved, "config.json")))
                    throw new ConfigException(File(rp + ".path"), rp + ".path", "a model folder with config.json (relative to the file)", $"'{folder}' ({resolved})");
                models[role] = new EnvironmentModel(resolved, null, rp + ".path");
            }
            else models[role] = new EnvironmentModel(FromFolder(from!, rp + ".from"), from, rp + ".from");
        }
        return models;
    }

    private CurriculumSection ParseCurriculum(JsonObject curriculum, JsonObject data)
    {
        const string p = "$.curriculum";
        Reject(curriculum, p, ExperimentKeys.Curriculum);
        var defaults = new CurriculumOptions();
        var window = (int)Integer(curriculum, "window", p, defaults.Window, 1, 1 << 20);
        var options = new CurriculumOptions
        {
            Window = window,
            PromoteAt = Number(curriculum, "promote_at", p, defaults.PromoteAt, 0, 1),
            DemoteAt = Number(curriculum, "demote_at", p, defaults.DemoteAt, 0, 1),
            MinSamples = (int)Integer(curriculum, "min_samples", p, Math.Min(defaults.MinSamples, window), 1, window),
        };
        try { options.Validate(); }
        catch (ConfigException e) { throw e.In(File(p + e.JsonPath.TrimStart('$')), p); }
        var minLevel = (int)Integer(curriculum, "min_level", p, 0, 0, 1000);
        int? maxLevel = curriculum.ContainsKey("max_level") ? (int)Integer(curriculum, "max_level", p, 0, minLevel, 1000) : null;
        var tasks = new List<CurriculumTask>();
        for (var i = 0; i < ParsedTasks.Count; i++)
        {
            var entry = ParsedTasks[i];
            var at = $"$.data.tasks[{i}]";
            if (data["tasks"]![i]!.AsObject().ContainsKey("config"))
                throw new ConfigException(File(at + ".config"), at + ".config", "no config overrides when a curriculum is set (it draws each level's config from the task file)", "an object");
            if (entry.View != ItemView.Whole)
                throw new ConfigException(File(at + ".view"), at + ".view", "whole items when a curriculum is set (it draws whole items at each level)", $"'{ItemViews.SubproblemsName}'");
            if (tasks.Any(t => t.Task.Name == entry.Task.Name))
                throw new ConfigException(File(at + ".task"), at + ".task", "each task once when a curriculum is set", $"'{entry.Task.Name}' again");
            var levels = TaskConfigFile.ForTask(entry.Task, tasksDirectory).Levels;
            var top = levels.Count - 1;
            if (minLevel > top)
                throw new ConfigException(File(p + ".min_level"), p + ".min_level", $"a level every task has ({entry.Task.Name} has levels 0-{top})", minLevel.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var max = Math.Min(maxLevel ?? top, top);
            var start = entry.Level ?? minLevel;
            if (start < minLevel || start > max)
                throw new ConfigException(File(at + ".level"), at + ".level", $"a starting level in the curriculum's range [{minLevel}, {max}]", start.ToString(System.Globalization.CultureInfo.InvariantCulture));
            tasks.Add(new CurriculumTask(entry.Task, levels, minLevel, max, start));
        }
        return new CurriculumSection(options, tasks);
    }

    private CheckpointSection ParseCheckpoint(JsonObject checkpoint)
    {
        const string p = "$.checkpoint";
        Reject(checkpoint, p, ExperimentKeys.Checkpoint);
        return new CheckpointSection((int)Integer(checkpoint, "every", p, 0, 0, int.MaxValue), (int)Integer(checkpoint, "keep_last", p, 2, 1, 1000));
    }

    private EvalSection ParseEval(JsonObject eval)
    {
        const string p = "$.eval";
        Reject(eval, p, ExperimentKeys.Eval);
        var splitText = OptionalString(eval, "split", p) ?? "validation";
        if (!Splits.TryParse(splitText, out var split))
            throw new ConfigException(File(p + ".split"), p + ".split", "train, validation or test", $"'{splitText}'");
        return new EvalSection((int)Integer(eval, "every", p, 0, 0, int.MaxValue), (int)Integer(eval, "n", p, 100, 1, 1_000_000), split,
            (int)Integer(eval, "readiness_n", p, 100, 0, 100_000), (int)Integer(eval, "readiness_k", p, 8, 1, 1024));
    }

    private string File(string jsonPath) => merge.FileOf(jsonPath);

    private bool Boolean(JsonObject parent, string key, string at, bool fallback)
    {
        if (!parent.TryGetPropertyValue(key, out var node)) return fallback;
        if (node is JsonValue v && v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False) return v.GetValue<bool>();
        throw new ConfigException(File($"{at}.{key}"), $"{at}.{key}", "true or false", ExperimentJson.Found(node));
    }

    private T Choice<T>(JsonObject parent, string key, string at, T fallback, params (string Name, T Value)[] choices)
    {
        var text = OptionalString(parent, key, at);
        if (text is null) return fallback;
        foreach (var (name, value) in choices)
            if (name == text) return value;
        throw new ConfigException(File($"{at}.{key}"), $"{at}.{key}", $"one of {string.Join(", ", choices.Select(c => c.Name))}", $"'{text}'");
    }

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
