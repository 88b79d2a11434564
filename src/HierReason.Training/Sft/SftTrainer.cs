using System.Diagnostics;
using System.Text.Json;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Checkpoints;
using HierReason.Training.Experiments;
using HierReason.Training.Optim;
using static TorchSharp.torch;

namespace HierReason.Training.Sft;

/// <summary>
/// Supervised fine-tuning on gold solution traces: each optimiser step takes the next <c>batch_size × grad_accum</c>
/// items of the training data in order, learns their completions (prompt and padding masked), clips and updates.
/// With a LoRA adapter only the adapter trains and checkpoints hold the adapter alone.
/// </summary>
public sealed class SftTrainer : IDisposable
{
    public const string OptimizerFileName = TrainingCheckpoint.OptimizerFileName;

    private readonly CausalLM _model;
    private readonly ITokenizer _tokenizer;
    private readonly ChatTemplate _template;
    private readonly IReadOnlyList<TaskItem> _data;
    private readonly LoraAdapter? _adapter;
    private readonly long _seed;
    private readonly EpisodeStrategy? _strategy;

    /// <param name="strategy">Whose gold episodes to learn (multi-segment, other actors masked); null: the items' gold solution traces.</param>
    public SftTrainer(CausalLM model, ITokenizer tokenizer, ChatTemplate template, SftSection settings, IReadOnlyList<TaskItem> data,
        LoraAdapter? adapter = null, long seed = 0, EpisodeStrategy? strategy = null)
    {
        if (data.Count == 0) throw new TrainingException("SFT: no training items");
        _model = model;
        _tokenizer = tokenizer;
        _template = template;
        _data = data;
        _adapter = adapter;
        _seed = seed;
        _strategy = strategy is { Name: EpisodeStrategy.VanillaName } ? null : strategy;
        Settings = settings;
        var trainable = adapter is null ? model.parameters() : adapter.Parameters();
        Optimizer = new TrainingOptimizer(trainable,
            new LearningRateSchedule(settings.LearningRate, settings.WarmupSteps, settings.Steps, settings.MinLearningRateRatio),
            settings.WeightDecay, settings.MaxGradNorm);
    }

    public SftSection Settings { get; }
    public TrainingOptimizer Optimizer { get; }

    /// <summary>Optimiser steps taken.</summary>
    public int Step => Optimizer.StepCount;

    /// <summary>Training items consumed; the next batch starts here (cycling through the data).</summary>
    public long DataPosition { get; private set; }

    /// <summary>One optimiser step over <c>grad_accum</c> micro-batches; returns its metrics.</summary>
    public SftStepMetrics TrainStep()
    {
        var clock = Stopwatch.StartNew();
        // Dropout (LoRA) draws from a seed fixed by the step, so a resumed run draws what a straight run would.
        random.manual_seed(unchecked(_seed * 1_000_003 + Step));
        _model.train();
        Optimizer.ZeroGrad();
        var accum = Settings.GradAccum;
        var lossSum = 0.0;
        long tokens = 0;
        for (var micro = 0; micro < accum; micro++)
        {
            using var scope = NewDisposeScope();
            using var batch = NextBatch();
            var loss = SftForward.Loss(_model, batch);                                          // ()
            // Each micro-batch contributes its mean / accum: the step's gradient is the mean over micro-batches.
            (loss / accum).backward();
            lossSum += loss.item<float>();
            tokens += batch.TokenCount;
        }
        var (norm, lr) = Optimizer.Step();
        var seconds = clock.Elapsed.TotalSeconds;
        return new SftStepMetrics(Step, lossSum / accum, lr, norm, tokens, tokens / Math.Max(seconds, 1e-9), seconds);
    }

    /// <summary>
    /// Trains until <paramref name="untilStep"/>, appending one JSON line per step to <paramref name="metrics"/> and
    /// checkpointing into <paramref name="store"/> every <paramref name="every"/> steps (0: never) and at the end.
    /// </summary>
    public void Train(int untilStep, TextWriter? metrics = null, CheckpointStore? store = null, int every = 0,
        Action<SftStepMetrics>? onStep = null, CancellationToken cancel = default)
    {
        while (Step < untilStep)
        {
            cancel.ThrowIfCancellationRequested();
            var m = TrainStep();
            metrics?.WriteLine(JsonSerializer.Serialize(m));
            metrics?.Flush();
            onStep?.Invoke(m);
            if (store is not null && every > 0 && Step % every == 0 && Step < untilStep) SaveCheckpoint(store);
        }
        if (store is not null && (store.Latest() is not { } last || last != store.PathFor(Step))) SaveCheckpoint(store);
    }

    /// <summary>Writes a checkpoint of the current step: weights (HF layout) or the adapter (PEFT layout), optimiser state, trainer state, tokenizer.</summary>
    public string SaveCheckpoint(CheckpointStore store) =>
        store.Save(Step, directory => TrainingCheckpoint.Write(directory, _model, _adapter, _tokenizer, Optimizer, State()));

    /// <summary>Restores weights (or adapter), optimiser and position from a checkpoint folder written by <see cref="SaveCheckpoint"/>.</summary>
    public void Restore(string directory)
    {
        var state = TrainingCheckpoint.Read(directory, _model, _adapter, Optimizer);
        Optimizer.StepCount = state.Step;
        DataPosition = state.DataPosition;
    }

    public TrainerState State() => new(Step, DataPosition, _seed, _seed, Optimizer.Schedule.At(Math.Max(Step - 1, 0)), Settings.Steps);

    private SftBatch NextBatch()
    {
        var examples = new List<SftExample>(Settings.BatchSize);
        var skipped = 0;
        while (examples.Count < Settings.BatchSize)
        {
            var item = _data[(int)(DataPosition % _data.Count)];
            DataPosition++;
            var example = _strategy is null
                ? SftExample.For(item, _tokenizer, _template, Settings.MaxSeqLen)
                : SftExample.ForEpisode(item, _strategy, _tokenizer, _template, Settings.MaxSeqLen);
            if (example is not null) examples.Add(example);
            else if (++skipped > _data.Count)
                throw new TrainingException($"SFT: strategy '{_strategy!.Name}' has no gold episode for any training item; train it on tasks it supports");
        }
        return SftBatch.Collate(examples, _tokenizer.PadId, _model.Device);
    }

    public void Dispose() => Optimizer.Dispose();
}
