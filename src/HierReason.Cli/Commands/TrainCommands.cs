using System.CommandLine;
using System.Globalization;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Training.Evaluation;
using HierReason.Training.Experiments;
using HierReason.Training.Sft;
using HierReason.Training.Grpo;
using HierReason.Training.Runs;
using HierReason.Core.Tasks;
using HierReason.Reasoning.Strategies;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason train</c>: runs an experiment file's SFT stage, with a progress bar on a terminal and plain lines otherwise.</summary>
public static class TrainCommands
{
    /// <summary>Steps between plain progress lines when stdout is not a terminal.</summary>
    private const int PlainEvery = 10;

    public static Command Build(IServiceProvider services)
    {
        var experiment = new Argument<string?>("experiment") { Description = "The experiment file (e.g. tasks/experiments/tiny-sft.json).", Arity = ArgumentArity.ZeroOrOne };
        var models = MatrixSelection.For("models", "Train only these models of the models file (comma-separated names), and the file's models they start from.",
            "Instead of one experiment: train every enabled model of this models file that names a \"train\" experiment, in file order (default with --models: models.json).", null);
        // Accepted and ignored until the next release: the task mix is part of the experiment (and of the model it writes).
        var oldOnlyTasks = new Option<string?>("--only-tasks") { Hidden = true };
        // Parsed only to say why there is no task filter (unparsed, "--tasks" would be taken for the experiment file).
        var noTasks = new Option<string?>("--tasks") { Hidden = true };
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest complete checkpoint in the output folder (refused when it was trained under another experiment)." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Delete the output folder's earlier run (model, metrics, checkpoints) and train from scratch." };
        var allowConfigChange = new Option<bool>("--allow-config-change") { Description = "With --resume: continue a checkpoint trained under another experiment or upstream model anyway (recorded in training_manifest.json)." };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Stop after this step (the lr schedule still spans sft.steps / grpo.steps); the manifest marks the model partial." };
        var ifChanged = new Option<bool>("--if-changed") { Description = "Train only what is not up to date: skip a finished model of this exact experiment, resume a partial run of it, retrain anything else from scratch." };
        var evaluate = new Option<string?>("--evaluate") { Description = "Train nothing: evaluate the output model (and, for GRPO, the model it started from) greedily on this split (train, validation, test) and print JSON." };
        var evaluateN = new Option<int>("--evaluate-n") { Description = "Items per task for --evaluate.", DefaultValueFactory = _ => 200 };
        var evaluateK = new Option<int>("--evaluate-k") { Description = "With --evaluate: also sample this many answers per item at T = 1 (pass@k, maj@k); 0 = greedy only.", DefaultValueFactory = _ => 0 };
        var options = new ModelOptions();
        var command = new Command("train", "Train a model as an experiment file describes (SFT on gold traces; checkpoints, metrics.jsonl, eval.jsonl in the output folder).")
        {
            experiment, models.Filter, models.File, models.OldFilter, oldOnlyTasks, noTasks, resume, overwrite, allowConfigChange, maxSteps, ifChanged, evaluate, evaluateN, evaluateK,
        };
        command.Options.Add(options.Device);
        command.Options.Add(options.Threads);
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var file = parse.GetValue(experiment);
            if (parse.GetResult(noTasks) is not null)
                throw new HierReasonException("train has no --tasks: the task mix is part of each experiment (and of the model it writes); " +
                    "to benchmark fewer tasks, give bench --tasks");
            if (parse.GetResult(oldOnlyTasks) is not null)
                console.Error.WriteLine("warning: train --only-tasks is deprecated and ignored (it will be removed in the next release): training uses the experiment's own tasks, " +
                    "which are part of the model it writes; to benchmark fewer tasks, give bench --tasks");
            var (modelsPath, onlyModels) = models.Resolve(parse, console.Error);
            if (file is not null && (modelsPath ?? (object?)onlyModels) is not null)
                throw new HierReasonException("train: give either an experiment file or --models-file <models.json> (with --models <names>), not both");
            if (file is null && modelsPath is null && onlyModels is null)
                throw new HierReasonException("train: give either an experiment file or --models-file <models.json>");
            // Experiments are validated before libtorch is touched: a config error exits 2 at once.
            var configs = file is not null ? [ExperimentConfig.Load(file)] : FromModels(modelsPath ?? "models.json", onlyModels);
            if (parse.GetValue(maxSteps) is < 1) throw new HierReasonException("--max-steps: expected a positive integer");
            var start = Start(parse.GetValue(resume), parse.GetValue(overwrite), parse.GetValue(allowConfigChange), parse.GetValue(ifChanged));
            var threads = parse.GetValue(options.Threads);
            if (threads is < 1 or > ModelOptions.MaxThreads) throw new HierReasonException($"--threads: expected an integer in [1, {ModelOptions.MaxThreads}]; found {threads}");
            TorchSharp.torch.set_num_threads(threads);
            var device = parse.GetResult(options.Device) is null ? null : parse.GetValue(options.Device);
            foreach (var config in configs)
            {
                if (parse.GetValue(evaluate) is { } splitText)
                {
                    EvaluateModels(console, config, splitText, parse.GetValue(evaluateN), parse.GetValue(evaluateK), device);
                    continue;
                }
                var configStart = start;
                if (configStart is null)
                {
                    // --if-changed: decided per experiment just before it trains, since an upstream model trained just now changes its hash.
                    var plan = IfChangedPlan.For(config);
                    if (plan.UpToDate)
                    {
                        console.Out.WriteLine($"{config.Name}: up to date ({config.Output})");
                        continue;
                    }
                    console.Out.WriteLine($"{config.Name}: {plan.Reason}");
                    configStart = plan.Start!;
                }
                if (configStart.Mode == OutputMode.Overwrite && TrainingOutput.RunEntries(config.Output) is { Count: > 0 } earlier)
                    console.Out.WriteLine($"{config.Name}: --overwrite: deleting the earlier run in {config.Output} ({TrainingOutput.Describe(earlier)}) before the first write");
                if (config.Grpo is not null) RunGrpo(console, config, configStart, parse.GetValue(maxSteps), device);
                else RunSft(console, config, configStart, parse.GetValue(maxSteps), device);
            }
            return 0;
        });
        return command;
    }

    /// <summary>The run start the flags ask for; null for --if-changed, which decides per experiment (<see cref="IfChangedPlan"/>).</summary>
    private static RunStart? Start(bool resume, bool overwrite, bool allowConfigChange, bool ifChanged)
    {
        if (resume && overwrite) throw new HierReasonException("--resume and --overwrite: give one (--resume continues the newest checkpoint, --overwrite deletes the earlier run and starts over)");
        if (allowConfigChange && !resume) throw new HierReasonException("--allow-config-change: only with --resume (it lets a resume continue a checkpoint trained under another experiment)");
        if (ifChanged && (resume || overwrite))
            throw new HierReasonException("--if-changed decides itself whether to skip, resume or start over; give it without --resume / --overwrite");
        if (ifChanged) return null;
        return resume ? new RunStart(OutputMode.Resume, allowConfigChange) : overwrite ? RunStart.Overwrite : RunStart.Fresh;
    }

    /// <summary>Says loudly that a resume continued under a changed experiment: the model is no longer what the experiment alone describes.</summary>
    private static void WarnConfigChange(CliConsole console, ExperimentConfig config, string? checkpoint, HierReason.Training.Checkpoints.ConfigChange? change)
    {
        if (change is null) return;
        console.Error.WriteLine($"WARNING: {config.Name}: --allow-config-change: continuing {checkpoint} under a changed experiment: {change.What}.");
        console.Error.WriteLine($"WARNING: the model will not be what {config.File} alone describes; {TrainingManifest.FileName} records this (config_changes), " +
            "and train --if-changed retrains it from scratch.");
    }

    /// <summary>
    /// The experiments of models.json's "train" models, in file order: the enabled ones, or those --models names —
    /// where a named model is a composite, the models that fill its roles, and for each, the file's models its
    /// experiment starts from (model.from or a frozen role's folder), so the selection trains what it needs.
    /// </summary>
    private static List<ExperimentConfig> FromModels(string modelsFile, IReadOnlyList<string>? onlyModels)
    {
        var set = HierReason.Harness.Config.ModelsFile.Load(modelsFile);
        var only = onlyModels?.ToHashSet(StringComparer.Ordinal);
        if (only is not null && only.FirstOrDefault(n => set.Models.All(m => m.Name != n)) is { } unknown)
            throw new HierReasonException($"--models: '{unknown}' is not a model of {modelsFile} (it has: {string.Join(", ", set.Models.Select(m => m.Name))})");
        // "train" models are what this run writes; every other local model it lists must already be a loadable folder.
        ModelEntryCheck.Validate(set, set.Loaded(only).Where(m => m.Train is null));
        var trained = set.Models.Where(m => m.Train is not null).Select(m => (m.Name, Config: ExperimentConfig.Load(m.Train!))).ToList();
        if (only is null) return trained.Where(t => set.Models.First(m => m.Name == t.Name).Enabled).Select(t => t.Config).ToList();

        var byOutput = trained.ToDictionary(t => Path.GetFullPath(t.Config.Output), t => t.Name);
        var wanted = set.Loaded(only).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        for (var added = true; added;)
        {
            added = false;
            foreach (var (name, config) in trained.Where(t => wanted.Contains(t.Name)).ToList())
                foreach (var source in Sources(config))
                    if (byOutput.TryGetValue(Path.GetFullPath(source), out var needed) && wanted.Add(needed)) added = true;
        }
        return trained.Where(t => wanted.Contains(t.Name)).Select(t => t.Config).ToList();
    }

    /// <summary>The folders an experiment loads models from: its model.from and its GRPO frozen roles' folders.</summary>
    private static IEnumerable<string> Sources(ExperimentConfig config)
    {
        if (config.Model.From is not null && config.Model.Path is { } path) yield return path;
        if (config.Grpo is { } grpo)
            foreach (var model in grpo.FrozenModels.Values) yield return model.Path;
    }

    private static void RunSft(CliConsole console, ExperimentConfig config, RunStart start, int? maxSteps, string? device)
    {
        using var strategies = ExperimentStrategies.ForSft();
        using var run = SftRun.Create(config, start, device, strategies: strategies.Create);
        WarnConfigChange(console, config, run.ResumedFrom, run.ConfigChange);
        var until = Math.Min(config.Sft.Steps, maxSteps ?? int.MaxValue);
        console.Out.WriteLine(run.ResumedFrom is { } from
            ? $"{config.Name}: resuming from {from} (step {run.Trainer.Step}) to step {until}"
            : $"{config.Name}: training to step {until} into {config.Output}");
        var summary = console.Ansi.Profile.Capabilities.Interactive
            ? WithProgressBar(console, run, until)
            : run.Run(until, m => { if (m.Step % PlainEvery == 0 || m.Step == until) console.Out.WriteLine(Line(m)); }, (s, r) => PrintEval(console, s, r));
        console.Out.WriteLine(FormattableString.Invariant(
            $"{config.Name}: done at step {run.Trainer.Step}; model in {config.Output}; {summary.WallSeconds:F0} s of steps, {summary.UsefulFraction ?? 0:P0} of computed positions carry loss, model FLOPs {summary.ModelFlopsRatio ?? 0:P1} / hardware FLOPs {summary.HardwareFlopsRatio ?? 0:P1} of the matmul rate"));
        PrintPartial(console, config, run.Trainer.Step);
    }

    private static void RunGrpo(CliConsole console, ExperimentConfig config, RunStart start, int? maxSteps, string? device)
    {
        // The strategy's frozen models (a planner's worker) load as local engine backends once the run has checked their folders.
        using var strategies = ExperimentStrategies.ForGrpo(config, device);
        using var run = GrpoRun.Create(config, start, device, strategies: strategies.Create);
        WarnConfigChange(console, config, run.ResumedFrom, run.ConfigChange);
        var until = Math.Min(config.Grpo!.Steps, maxSteps ?? int.MaxValue);
        console.Out.WriteLine(run.ResumedFrom is { } from
            ? $"{config.Name}: GRPO resuming from {from} (step {run.Trainer.Step}) to step {until}"
            : $"{config.Name}: GRPO training to step {until} into {config.Output}");
        GrpoRunSummary summary;
        if (console.Ansi.Profile.Capabilities.Interactive)
        {
            summary = default!;
            console.Ansi.Progress().Start(ctx =>
            {
                var bar = ctx.AddTask("grpo", maxValue: until);
                bar.Value = run.Trainer.Step;
                summary = run.Run(until, m =>
                {
                    bar.Value = m.Step;
                    bar.Description = FormattableString.Invariant($"grpo reward {m.Reward.Mean:F2} acc {m.Accuracy:P0} len {m.CompletionLengthMean:F0} {m.TokensPerSecond:F0} tok/s");
                }, (s, r) => PrintEval(console, s, r), onReadiness: r => PrintReadiness(console, r));
            });
        }
        else
        {
            summary = run.Run(until, m => { if (m.Step % PlainEvery == 0 || m.Step == until || m.Skipped) console.Out.WriteLine(GrpoLine(m)); },
                (s, r) => PrintEval(console, s, r), onReadiness: r => PrintReadiness(console, r));
        }
        console.Out.WriteLine(FormattableString.Invariant(
            $"{config.Name}: done at step {run.Trainer.Step}; model in {config.Output}; step time {summary.WallSeconds:F0} s (generation {summary.GenerationSeconds:F0}, scoring {summary.ScoringSeconds:F0}, training {summary.TrainingSeconds:F0}), {summary.GenerationTokensPerSecond:F0} tokens/s while generating; useful work: decode {summary.GenerationUsefulFraction ?? 0:P0}, training {summary.TrainingUsefulFraction ?? 0:P0}; model FLOPs {summary.ModelFlopsRatio ?? 0:P1} / hardware FLOPs {summary.HardwareFlopsRatio ?? 0:P1} of the matmul rate (training pass {summary.TrainingHardwareFlopsRatio ?? 0:P1})"));
        PrintPartial(console, config, run.Trainer.Step);
    }

    private static void PrintPartial(CliConsole console, ExperimentConfig config, int step)
    {
        if (step < config.TargetSteps)
            console.Out.WriteLine($"{config.Name}: partial model ({step} of {config.TargetSteps} steps; {TrainingManifest.FileName} says so): continue it with --resume or --if-changed");
    }

    private static void PrintReadiness(CliConsole console, ReadinessReport report)
    {
        foreach (var (task, readiness) in report.Tasks)
            console.Out.WriteLine($"readiness ({report.Split}): {task}: {readiness}");
    }

    private static int EvaluateModels(CliConsole console, ExperimentConfig config, string splitText, int n, int k, string? device)
    {
        if (!Splits.TryParse(splitText, out var split)) throw new HierReasonException($"--evaluate: expected train, validation or test; found '{splitText}'");
        if (n < 1) throw new HierReasonException("--evaluate-n: expected a positive integer");
        if (k is < 0 or > 1024) throw new HierReasonException($"--evaluate-k: expected an integer in [0, 1024]; found {k}");
        var report = new System.Text.Json.Nodes.JsonObject { ["experiment"] = config.Name, ["split"] = split.ToString().ToLowerInvariant(), ["n"] = n };
        var folders = new List<(string Key, string Path)>();
        if (config.Model.Path is { } upstream) folders.Add(("before", upstream));
        // Before the run has written its model only the starting model is measured.
        if (File.Exists(Path.Combine(config.Output, "config.json"))) folders.Add(("after", config.Output));
        if (folders.Count == 0) throw new HierReasonException($"{config.Output}: no model to evaluate yet; train {config.Name} first");
        foreach (var (key, path) in folders)
        {
            var results = ModelEvaluation.Evaluate(path, config.Data, split, n, device);
            var sampled = k > 0 ? ModelEvaluation.Sampled(path, config.Data, split, n, k, device) : null;
            var node = new System.Text.Json.Nodes.JsonObject { ["model"] = path };
            foreach (var (task, result) in results)
            {
                var entry = System.Text.Json.JsonSerializer.SerializeToNode(result)!.AsObject();
                if (sampled?[task] is { } s) entry["sampled"] = System.Text.Json.JsonSerializer.SerializeToNode(s);
                node[task] = entry;
                console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key} ({path}): {task}: {result}{(sampled?[task] is { } t ? "; " + t : "")}"));
            }
            report[key] = node;
        }
        console.Out.WriteLine(report.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    private static string GrpoLine(GrpoStepMetrics m) => m.Skipped
        ? FormattableString.Invariant($"step {m.Step}: skipped ({m.SkipReason})")
        : FormattableString.Invariant(
            $"step {m.Step}: reward {m.Reward.Mean:F3} ± {m.Reward.Std:F3}, accuracy {m.Accuracy:P1}, zero-std groups {m.ZeroVarianceFraction:P0}, kl {m.Kl ?? 0:F4}{(m.LabelKl is { } labelKl ? $", label kl {labelKl:F4}" : "")}, length {m.CompletionLengthMean:F0}, lr {m.LearningRate:E2}, {m.StepSeconds:F1} s (gen {m.GenerationSeconds:F1}, score {m.ScoringSeconds:F1}, train {m.TrainingSeconds:F1})");

    private static SftRunSummary WithProgressBar(CliConsole console, SftRun run, int until) =>
        console.Ansi.Progress().Start(ctx =>
        {
            var bar = ctx.AddTask("sft", maxValue: until);
            bar.Value = run.Trainer.Step;
            return run.Run(until,
                m =>
                {
                    bar.Value = m.Step;
                    bar.Description = FormattableString.Invariant($"sft loss {m.Loss:F3} lr {m.LearningRate:E1} {m.TokensPerSecond:F0} tok/s");
                },
                (s, r) => PrintEval(console, s, r));
        });

    private static string Line(SftStepMetrics m) => FormattableString.Invariant(
        $"step {m.Step}: loss {m.Loss:F4}, lr {m.LearningRate:E2}, grad norm {m.GradNorm:F3}, {m.TokensPerSecond:F0} tokens/s, {m.StepSeconds:F2} s/step");

    private static void PrintEval(CliConsole console, int step, IReadOnlyDictionary<string, EvaluationResult> results)
    {
        foreach (var (task, result) in results)
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"eval step {step}: {task}: {result}"));
    }
}
