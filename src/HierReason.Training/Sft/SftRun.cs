using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Engine.Perf;
using HierReason.Core.IO;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Checkpoints;
using HierReason.Training.Evaluation;
using HierReason.Training.Experiments;
using HierReason.Training.Runs;

namespace HierReason.Training.Sft;

/// <summary>
/// An experiment's SFT run end to end: builds (or resumes) the model, data and trainer from an <see cref="ExperimentConfig"/>,
/// trains with metrics and checkpoints under the output folder, evaluates greedily, and leaves the final model there
/// (HF layout, or the PEFT adapter) for <c>models.json</c> to point at.
/// </summary>
public sealed class SftRun : IDisposable
{
    public const string MetricsFileName = "metrics.jsonl";
    public const string EvalFileName = "eval.jsonl";
    public const string SummaryFileName = "training_summary.json";

    private readonly ExperimentConfig _config;
    private readonly CausalLM _model;
    private readonly ITokenizer _tokenizer;
    private readonly ChatTemplate _template;
    private readonly LoraAdapter? _adapter;
    private readonly CheckpointStore _store;

    private readonly ResumePoint? _start;
    // An overwrite clears the folder once, before this object's first write; a second Run() continues what the first wrote.
    private bool _begun;

    private SftRun(ExperimentConfig config, CausalLM model, ITokenizer tokenizer, ChatTemplate template, LoraAdapter? adapter, SftTrainer trainer, ResumePoint? start)
    {
        _config = config;
        _model = model;
        _tokenizer = tokenizer;
        _template = template;
        _adapter = adapter;
        Trainer = trainer;
        _start = start;
        _store = new CheckpointStore(config.Output, config.Checkpoint.KeepLast);
    }

    public SftTrainer Trainer { get; }
    public CausalLM Model => _model;
    /// <summary>The checkpoint folder this run continued from, if any.</summary>
    public string? ResumedFrom => _start?.Checkpoint;
    /// <summary>The change of experiment this resume accepted (<see cref="RunStart.AllowConfigChange"/>); null when it continues its own run.</summary>
    public ConfigChange? ConfigChange => _start?.Change;
    public string OutputDirectory => _config.Output;

    /// <summary>
    /// Builds the run. <paramref name="start"/> (default <see cref="RunStart.Fresh"/>) says what to do with an output folder that
    /// holds an earlier run: refuse it, continue its newest checkpoint (refused when trained under another experiment unless
    /// <see cref="RunStart.AllowConfigChange"/>), or clear it when <see cref="Run"/> begins; all checks happen before anything is
    /// built or written. <paramref name="strategies"/> builds <c>sft.environment</c>'s strategy (whose gold episodes are learned);
    /// <paramref name="groupRows"/> false turns off per-task prefix sharing in mixed batches (<c>perf train</c>'s baseline).
    /// </summary>
    public static SftRun Create(ExperimentConfig config, RunStart? start = null, string? device = null, Func<string, JsonObject, EpisodeStrategy>? strategies = null,
        bool groupRows = true) =>
        Build(config, ResumePoint.Find(config, start ?? RunStart.Fresh), device, strategies, groupRows);

    /// <summary>
    /// Builds the run from <paramref name="start"/>; null builds one that only measures (<c>perf train</c>): it never looks at
    /// the output folder and its <see cref="Run"/> refuses to write there.
    /// </summary>
    internal static SftRun Build(ExperimentConfig config, ResumePoint? start, string? device = null, Func<string, JsonObject, EpisodeStrategy>? strategies = null,
        bool groupRows = true)
    {
        var spec = DeviceSpec.Parse(device ?? config.Model.Device, config.Model.DType);
        spec.EnsureAvailable();
        var (model, tokenizer, template) = BuildModel(config.Model, spec);
        try
        {
            // Before anything is written: a "from" folder trained after this experiment was parsed is only known now.
            TokenBudgets.Check(config, tokenizer, template, model.Config.MaxPositionEmbeddings, config.FileOf);
            var adapter = config.Model.Lora is { } lora ? LoraAdapter.Attach(model, lora, config.Model.Seed) : null;
            var sft = config.Sft;
            var size = (int)Math.Clamp((long)sft.Steps * sft.BatchSize * sft.GradAccum, 1, int.MaxValue);
            var data = new TaskMixture(config.Data.Tasks, Split.Train, config.Data.Seed, size);
            var strategy = sft.Environment == EpisodeStrategy.VanillaName ? null
                : strategies?.Invoke(sft.Environment, sft.EnvironmentOptions ?? new JsonObject())
                  ?? throw new TrainingException($"{config.File}: $.sft.environment: this program cannot build the strategy '{sft.Environment}'");
            var trainer = new SftTrainer(model, tokenizer, template, sft, data, adapter, config.Data.Seed, strategy, groupRows);
            if (start?.Checkpoint is { } latest) trainer.Restore(latest);
            else SourceOptimizerState.Apply(config, trainer.Optimizer);
            trainer.Origin = start?.Origin;
            return new SftRun(config, model, tokenizer, template, adapter, trainer, start);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Trains to <c>sft.steps</c> (or <paramref name="maxSteps"/> if lower), writing <c>metrics.jsonl</c>, checkpoints and,
    /// when <c>eval.every</c> &gt; 0, evaluations (before the first step of a fresh run, every <c>eval.every</c> steps, at the end) to <c>eval.jsonl</c>;
    /// at the end the model, the curves, <c>training_summary.json</c> and the manifest. Before its first write it clears the earlier run
    /// (<see cref="RunStart.Overwrite"/>), removes the manifest and saves the resolved experiment (<see cref="TrainingOutput.Begin"/>).
    /// </summary>
    public SftRunSummary Run(int? maxSteps = null, Action<SftStepMetrics>? onStep = null, Action<int, IReadOnlyDictionary<string, EvaluationResult>>? onEval = null,
        CancellationToken cancel = default)
    {
        var start = _start ?? throw new InvalidOperationException("a run built only to measure writes nothing into the output folder");
        var steps = new List<SftStepMetrics>();
        TrainingOutput.Begin(_config, start.ClearFirst && !_begun);
        _begun = true;
        var until = Math.Min(_config.Sft.Steps, maxSteps ?? int.MaxValue);
        var evalEvery = _config.Eval.Every;
        // Lines a killed run wrote after its last checkpoint would repeat the steps this run redoes.
        DropLinesAfter(Path.Combine(_config.Output, MetricsFileName), Trainer.Step);
        DropLinesAfter(Path.Combine(_config.Output, EvalFileName), Trainer.Step);
        using var metrics = new StreamWriter(Path.Combine(_config.Output, MetricsFileName), append: true);
        if (evalEvery > 0 && Trainer.Step == 0) RecordEval(onEval);
        while (Trainer.Step < until)
        {
            var next = evalEvery > 0 ? Math.Min(until, (Trainer.Step / evalEvery + 1) * evalEvery) : until;
            try
            {
                Trainer.Train(next, metrics, _store, _config.Checkpoint.Every, m =>
                {
                    steps.Add(m);
                    onStep?.Invoke(m);
                }, cancel);
            }
            catch (PromptTooLongException e)
            {
                // The up-front check samples the first items of each task; a later, longer prompt still names the budget's file.
                const string at = "$.sft.max_seq_len";
                throw new ConfigException(_config.FileOf(at), at,
                    $"at least {e.PromptLength + 1}: the chat-rendered prompt of {e.ItemId} alone is {e.PromptLength} tokens", _config.Sft.MaxSeqLen.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            if (evalEvery > 0 && (Trainer.Step % evalEvery == 0 || Trainer.Step == until)) RecordEval(onEval);
        }
        if (_store.Latest() != _store.PathFor(Trainer.Step)) Trainer.SaveCheckpoint(_store);
        RunOutput.SaveModel(_config.Output, _model, _adapter, _tokenizer, _config.Model.Path);
        TrainingCurves.Save(_config.Output, TrainingCurves.SftSeries, _config.Name);
        var summary = SftRunSummary.Of(_config.Name, steps, Trainer.Step, _config.Sft.BucketSteps, DecoderCost.MatmulParameters(DecoderShape.Of(_model.Config)),
            steps.Count > 0 ? RunBaseline.MatmulFlopsPerSecond(_model) : null) with { LoadAverage = RunBaseline.LoadAverage() };
        AtomicFile.WriteAllText(Path.Combine(_config.Output, SummaryFileName), JsonSerializer.Serialize(summary, SftRunSummary.Options));
        TrainingManifest.For(_config, Trainer.Step, start.Origin.ConfigChanges).Save(_config.Output);
        return summary;
    }

    /// <summary>Greedy accuracy per task on <c>eval.n</c> items of <c>eval.split</c>.</summary>
    public IReadOnlyDictionary<string, EvaluationResult> Evaluate()
    {
        // Gold traces of these tasks stay well under 192 tokens; an untrained model would otherwise run to the limit on every item.
        return EvaluateTasks(_model, _tokenizer, _template, _config.Data, _config.Eval.Split, _config.Eval.N);
    }

    /// <summary>Greedy accuracy per task of <paramref name="data"/> on <paramref name="n"/> items of <paramref name="split"/>.</summary>
    public static IReadOnlyDictionary<string, EvaluationResult> EvaluateTasks(CausalLM model, ITokenizer tokenizer, ChatTemplate template,
        DataSection data, Split split, int n, int maxNewTokens = 192)
    {
        var evaluator = new GreedyEvaluator(model, tokenizer, template, batchSize: 50, maxNewTokens: maxNewTokens);
        var results = new Dictionary<string, EvaluationResult>(StringComparer.Ordinal);
        foreach (var entry in data.Tasks)
        {
            var items = TaskDataset.Create(entry.Task, split, data.Seed, n, entry.Config, entry.Level);
            results[entry.Task.Name] = evaluator.Evaluate(items, entry.Task.Score);
        }
        return results;
    }

    private void RecordEval(Action<int, IReadOnlyDictionary<string, EvaluationResult>>? onEval)
    {
        var results = Evaluate();
        RunOutput.AppendEval(_config.Output, EvalFileName, Trainer.Step, results);
        onEval?.Invoke(Trainer.Step, results);
    }

    internal static void DropLinesAfter(string path, int step)
    {
        if (!File.Exists(path)) return;
        var kept = File.ReadAllLines(path).Where(line =>
        {
            try { return JsonNode.Parse(line)?["step"]?.GetValue<int>() is int s && s <= step; }
            catch (JsonException) { return false; }
        }).ToList();
        File.WriteAllLines(path, kept);
    }

    internal static (CausalLM, ITokenizer, ChatTemplate) BuildModel(ModelSection section, DeviceSpec spec)
    {
        if (section.Path is { } path)
        {
            var tokenizer = TokenizerLoader.Load(path);
            return (CheckpointLoader.Load(path, spec), tokenizer, ChatTemplates.ForModel(path, tokenizer));
        }
        var bytes = new ByteTokenizer();
        var model = TinyModelFactory.Create(ModelConfig.Embedded(section.Init ?? "tiny", bytes.VocabSize, bytes.BosId, bytes.EosIds), section.Seed, spec);
        return (model, bytes, ChatTemplates.ForTokenizer(bytes));
    }


    public void Dispose()
    {
        Trainer.Dispose();
        _model.Dispose();
    }
}
