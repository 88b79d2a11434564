using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HierReason.Core.Episodes;
using HierReason.Core.IO;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Engine.Perf;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Checkpoints;
using HierReason.Training.Evaluation;
using HierReason.Training.Experiments;
using HierReason.Training.Rewards;
using HierReason.Training.Runs;
using HierReason.Training.Sft;

namespace HierReason.Training.Grpo;

/// <summary>
/// An experiment's GRPO run end to end (the counterpart of <see cref="SftRun"/>): loads the starting model (a folder
/// another run wrote, a HF folder, or the fresh tiny model), attaches LoRA if asked, builds the reference when β ≠ 0,
/// then trains with one <c>metrics.jsonl</c> line per step, periodic <c>eval.jsonl</c> evaluations, checkpoints
/// (resumable), and at the end the model, <c>training_curves.png</c>, <c>training_summary.json</c> and
/// <c>training_manifest.json</c> in the output folder.
/// </summary>
public sealed class GrpoRun : IDisposable
{
    public const string MetricsFileName = SftRun.MetricsFileName;
    public const string EvalFileName = SftRun.EvalFileName;
    public const string SummaryFileName = SftRun.SummaryFileName;

    internal static readonly JsonSerializerOptions LineOptions = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly ExperimentConfig _config;
    private readonly GrpoSection _settings;
    private readonly CausalLM _model;
    private readonly CausalLM? _reference;
    private readonly ITokenizer _tokenizer;
    private readonly ChatTemplate _template;
    private readonly LoraAdapter? _adapter;
    private readonly CheckpointStore _store;

    private readonly ResumePoint? _start;
    // An overwrite clears the folder once, before this object's first write; a second Run() continues what the first wrote.
    private bool _begun;

    private GrpoRun(ExperimentConfig config, CausalLM model, CausalLM? reference, ITokenizer tokenizer, ChatTemplate template, LoraAdapter? adapter,
        GrpoTrainer trainer, ResumePoint? start)
    {
        _config = config;
        _settings = config.Grpo!;
        _model = model;
        _reference = reference;
        _tokenizer = tokenizer;
        _template = template;
        _adapter = adapter;
        Trainer = trainer;
        _start = start;
        _store = new CheckpointStore(config.Output, config.Checkpoint.KeepLast);
    }

    public GrpoTrainer Trainer { get; }
    public CausalLM Model => _model;
    /// <summary>The checkpoint folder this run continued from, if any.</summary>
    public string? ResumedFrom => _start?.Checkpoint;
    /// <summary>The change of experiment this resume accepted (<see cref="RunStart.AllowConfigChange"/>); null when it continues its own run.</summary>
    public ConfigChange? ConfigChange => _start?.Change;
    public string OutputDirectory => _config.Output;

    /// <summary>
    /// Builds the run. <paramref name="start"/> (default <see cref="RunStart.Fresh"/>) says what to do with an output folder that
    /// holds an earlier run, as for <see cref="SftRun.Create"/>; all checks happen before anything is built or written.
    /// <paramref name="registry"/> replaces the built-in rewards; <paramref name="strategies"/> builds the experiment's strategy
    /// from its name and checked options (HierReason.Reasoning's registry; without it only vanilla episodes can run).
    /// <paramref name="efficiency"/> picks the compute-saving switches (all on by default; <c>perf train</c> compares against none).
    /// </summary>
    public static GrpoRun Create(ExperimentConfig config, RunStart? start = null, string? device = null, RewardRegistry? registry = null,
        Func<string, JsonObject, EpisodeStrategy>? strategies = null, GrpoEfficiency? efficiency = null) =>
        Build(config, ResumePoint.Find(config, start ?? RunStart.Fresh), device, registry, strategies, efficiency);

    /// <summary>
    /// Builds the run from <paramref name="start"/>; null builds one that only measures (<c>perf train</c>): it never looks at
    /// the output folder and its <see cref="Run"/> refuses to write there.
    /// </summary>
    internal static GrpoRun Build(ExperimentConfig config, ResumePoint? start, string? device = null, RewardRegistry? registry = null,
        Func<string, JsonObject, EpisodeStrategy>? strategies = null, GrpoEfficiency? efficiency = null)
    {
        CheckSource(config);
        var settings = config.Grpo!;
        var spec = DeviceSpec.Parse(device ?? config.Model.Device, config.Model.DType);
        spec.EnsureAvailable();
        var (model, tokenizer, template) = SftRun.BuildModel(config.Model, spec);
        CausalLM? reference = null;
        try
        {
            // Before anything is written: a "from" folder trained after this experiment was parsed is only known now.
            TokenBudgets.Check(config, tokenizer, template, model.Config.MaxPositionEmbeddings, config.FileOf);
            var adapter = config.Model.Lora is { } lora ? LoraAdapter.Attach(model, lora, config.Model.Seed) : null;
            // Full fine-tuning with β ≠ 0 keeps a frozen copy of the starting weights (before any checkpoint is restored).
            if (settings.Options.NeedsReference && adapter is null) reference = model.FrozenCopy();
            var strategy = settings.Environment == EpisodeStrategy.VanillaName ? EpisodeStrategy.Vanilla
                : strategies?.Invoke(settings.Environment, settings.EnvironmentOptions)
                  ?? throw new TrainingException($"{config.File}: $.grpo.environment: this program cannot build the strategy '{settings.Environment}'");
            var size = (int)Math.Clamp((long)Math.Max(1, settings.Steps) * settings.PromptsPerStep, 1, int.MaxValue);
            var data = new TaskMixture(config.Data.Tasks, Split.Train, config.Data.Seed, size);
            var curriculum = config.Curriculum is { } c ? new CurriculumSampler(c, config.Data.Tasks, config.Data.Seed) : null;
            var trainer = new GrpoTrainer(model, tokenizer, template, settings, data, config.Data.Tasks.Select(t => t.Task).DistinctBy(t => t.Name).ToArray(),
                registry, adapter, reference, strategy, config.Data.Seed, curriculum, efficiency);
            if (start?.Checkpoint is { } latest) trainer.Restore(latest);
            else SourceOptimizerState.Apply(config, trainer.Optimizer);
            trainer.Origin = start?.Origin;
            return new GrpoRun(config, model, reference, tokenizer, template, adapter, trainer, start);
        }
        catch
        {
            reference?.Dispose();
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Trains to <c>grpo.steps</c> (or <paramref name="maxSteps"/> if lower). <paramref name="onStep"/> sees every step's
    /// metrics, <paramref name="onEval"/> every evaluation (before the first step of a fresh run, every <c>eval.every</c>
    /// steps, at the end). Too many consecutive bad steps throw <see cref="BadStepsException"/> after their line is written.
    /// </summary>
    public GrpoRunSummary Run(int? maxSteps = null, Action<GrpoStepMetrics>? onStep = null,
        Action<int, IReadOnlyDictionary<string, EvaluationResult>>? onEval = null, CancellationToken cancel = default,
        Action<ReadinessReport>? onReadiness = null)
    {
        var start = _start ?? throw new InvalidOperationException("a run built only to measure writes nothing into the output folder");
        TrainingOutput.Begin(_config, start.ClearFirst && !_begun);
        _begun = true;
        // Before the first step of a fresh run: does the starting model sometimes find what it usually misses?
        if (Trainer.Step == 0 && _config.Eval.ReadinessN > 0 && PolicyAloneAnswers)
        {
            var readiness = ReadinessReport.Measure(_model, _tokenizer, _template, _config.Data, _config.Eval.Split, _config.Eval.ReadinessN, _config.Eval.ReadinessK, _config.Data.Seed,
                _settings.Options.MaxCompletionLength);
            readiness.Save(_config.Output);
            onReadiness?.Invoke(readiness);
        }
        var until = Math.Min(_settings.Steps, maxSteps ?? int.MaxValue);
        var evalEvery = PolicyAloneAnswers ? _config.Eval.Every : 0;
        var metricsPath = Path.Combine(_config.Output, MetricsFileName);
        SftRun.DropLinesAfter(metricsPath, Trainer.Step);
        SftRun.DropLinesAfter(Path.Combine(_config.Output, EvalFileName), Trainer.Step);
        var steps = new List<GrpoStepMetrics>();
        using (var metrics = new StreamWriter(metricsPath, append: true))
        {
            if (evalEvery > 0 && Trainer.Step == 0) RecordEval(onEval);
            while (Trainer.Step < until)
            {
                cancel.ThrowIfCancellationRequested();
                GrpoStepMetrics m;
                try { m = Trainer.TrainStep(); }
                catch (BadStepsException e)
                {
                    Write(metrics, e.Last);
                    onStep?.Invoke(e.Last);
                    throw;
                }
                Write(metrics, m);
                steps.Add(m);
                onStep?.Invoke(m);
                var every = _config.Checkpoint.Every;
                if (every > 0 && Trainer.Step % every == 0 && Trainer.Step < until) Trainer.SaveCheckpoint(_store);
                if (evalEvery > 0 && Trainer.Step % evalEvery == 0 && Trainer.Step < until) RecordEval(onEval);
            }
            if (evalEvery > 0 && steps.Count > 0) RecordEval(onEval);
        }
        if (_store.Latest() != _store.PathFor(Trainer.Step)) Trainer.SaveCheckpoint(_store);
        RunOutput.SaveModel(_config.Output, _model, _adapter, _tokenizer, _config.Model.Path);
        TrainingCurves.Save(_config.Output, TrainingCurves.GrpoSeries, _config.Name);
        var summary = Summarise(steps);
        AtomicFile.WriteAllText(Path.Combine(_config.Output, SummaryFileName), JsonSerializer.Serialize(summary, GrpoRunSummary.Options));
        TrainingManifest.For(_config, Trainer.Step, start.Origin.ConfigChanges).Save(_config.Output);
        return summary;
    }

    /// <summary>A GRPO experiment whose starting folder exists.</summary>
    private static void CheckSource(ExperimentConfig config)
    {
        if (config.Grpo is null) throw new TrainingException($"{config.File}: no \"grpo\" section; this experiment is not a GRPO run");
        if (config.Model.From is { } from && !Directory.Exists(config.Model.Path))
            throw new TrainingException($"{config.File}: $.model.from: the model folder '{from}' ({config.Model.Path}) does not exist; train its experiment first");
        foreach (var (role, model) in config.Grpo.FrozenModels)
            if (!File.Exists(Path.Combine(model.Path, "config.json")))
                throw new Core.ConfigException(config.FileOf(model.JsonPath), model.JsonPath,
                    $"the {role}'s model folder (with config.json){(model.From is null ? "" : "; train its experiment first")}", $"'{model.From ?? model.Path}' ({model.Path})");
    }

    /// <summary>
    /// Whether the greedy checks of the policy alone (readiness, <c>eval.every</c>) mean something: not when the strategy's
    /// other roles answer (a planner's own text is never its answer) or its environment does (a taxonomy chooser's scripted
    /// reasoner), where the benchmark measures the strategy instead.
    /// </summary>
    private bool PolicyAloneAnswers => _settings.FrozenModels.Count == 0 && Trainer.Strategy.Answers == AnswerSource.Policy;

    /// <summary>Greedy accuracy per task on <c>eval.n</c> items of <c>eval.split</c>, with the rollouts' completion budget.</summary>
    public IReadOnlyDictionary<string, EvaluationResult> Evaluate() =>
        SftRun.EvaluateTasks(_model, _tokenizer, _template, _config.Data, _config.Eval.Split, _config.Eval.N, _settings.Options.MaxCompletionLength);

    private static void Write(StreamWriter writer, GrpoStepMetrics m)
    {
        writer.WriteLine(JsonSerializer.Serialize(m, LineOptions));
        writer.Flush();
    }

    private void RecordEval(Action<int, IReadOnlyDictionary<string, EvaluationResult>>? onEval)
    {
        var results = Evaluate();
        RunOutput.AppendEval(_config.Output, EvalFileName, Trainer.Step, results);
        onEval?.Invoke(Trainer.Step, results);
    }

    /// <summary>Totals of this process's steps against the matmul rate measured now on the same device, dtype and thread count.</summary>
    private GrpoRunSummary Summarise(IReadOnlyList<GrpoStepMetrics> steps) =>
        GrpoRunSummary.Of(_config.Name, steps, Trainer.Step, DecoderCost.MatmulParameters(DecoderShape.Of(_model.Config)),
            steps.Count > 0 ? RunBaseline.MatmulFlopsPerSecond(_model) : null) with { LoadAverage = RunBaseline.LoadAverage() };

    public void Dispose()
    {
        Trainer.Dispose();
        _reference?.Dispose();
        _model.Dispose();
    }
}
