using System.Diagnostics;
using System.Text.Json;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Engine.Perf;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Checkpoints;
using HierReason.Training.Experiments;
using HierReason.Training.Optim;
using static TorchSharp.torch;

namespace HierReason.Training.Sft;

/// <summary>
/// Supervised fine-tuning on gold solution traces: each optimiser step trains <c>grad_accum</c> batches of <c>batch_size</c>
/// examples, learns their completions (prompt and padding masked), clips and updates. Examples come in data order; with
/// <c>bucket_steps</c> &gt; 1, a window of that many steps at a time, grouped by task and length within it (<see cref="SftBuckets"/>).
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
    private readonly DecoderShape _shape;
    private readonly bool _groupRows;
    // The current bucketing window's batches not yet trained, and where that window began.
    private readonly Queue<SftExample[]> _pending = new();
    private BucketWindow? _window;

    /// <param name="strategy">Whose gold episodes to learn (multi-segment, other actors masked); null: the items' gold solution traces.</param>
    /// <param name="groupRows">Run each task's shared start once in a batch mixing tasks (<see cref="SftForward"/>); false shares only the whole batch's common start, as before (<c>perf train</c>'s baseline).</param>
    public SftTrainer(CausalLM model, ITokenizer tokenizer, ChatTemplate template, SftSection settings, IReadOnlyList<TaskItem> data,
        LoraAdapter? adapter = null, long seed = 0, EpisodeStrategy? strategy = null, bool groupRows = true)
    {
        _groupRows = groupRows;
        if (data.Count == 0) throw new TrainingException("SFT: no training items");
        _model = model;
        _tokenizer = tokenizer;
        _template = template;
        _data = data;
        _adapter = adapter;
        _seed = seed;
        _strategy = strategy is { Name: EpisodeStrategy.VanillaName } ? null : strategy;
        Settings = settings;
        _shape = DecoderShape.Of(model.Config);
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
        long tokens = 0, lossTokens = 0, positions = 0;
        var flops = 0.0;
        for (var micro = 0; micro < accum; micro++)
        {
            using var scope = NewDisposeScope();
            using var batch = NextBatch();
            var loss = SftForward.Loss(_model, batch, groups: _groupRows);                      // ()
            // Each micro-batch contributes its mean / accum: the step's gradient is the mean over micro-batches.
            (loss / accum).backward();
            lossSum += loss.item<float>();
            tokens += batch.TokenCount;
            lossTokens += batch.LossTokenCount;
            var (computed, forward) = SftForward.Work(_shape, batch, groups: _groupRows);
            positions += computed;
            flops += 3 * forward;
        }
        var (norm, lr) = Optimizer.Step();
        var seconds = clock.Elapsed.TotalSeconds;
        return new SftStepMetrics(Step, lossSum / accum, lr, norm, tokens, tokens / Math.Max(seconds, 1e-9), seconds, lossTokens, positions, flops);
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
        _pending.Clear();
        _window = null;
        if (state.Bucket is { } window && window.FirstStep <= state.Step)
        {
            // Stopped inside a window: draw it again from where it began and skip the batches already trained.
            DataPosition = window.DataPosition;
            FillWindow(window.FirstStep);
            for (var i = 0; i < (state.Step - window.FirstStep) * Settings.GradAccum && _pending.Count > 0; i++) _pending.Dequeue();
        }
        DataPosition = state.DataPosition;
    }

    /// <summary>Where the run stands; inside a bucketing window it also names the window, so a resumed run draws the same batches.</summary>
    public TrainerState State() => new(Step, DataPosition, _seed, _seed, Optimizer.Schedule.At(Math.Max(Step - 1, 0)), Settings.Steps,
        Bucket: _pending.Count > 0 ? _window : null, Origin: Origin);

    /// <summary>The experiment this run trains under, recorded in every checkpoint (set by <see cref="SftRun"/>; null for a bare trainer).</summary>
    public CheckpointOrigin? Origin { get; set; }

    private SftBatch NextBatch()
    {
        if (_pending.Count == 0) FillWindow(Step);
        return SftBatch.Collate(_pending.Dequeue(), _tokenizer.PadId, _model.Device);
    }

    /// <summary>
    /// Draws the examples of the window beginning at <paramref name="firstStep"/> (<c>bucket_steps</c> steps, fewer at the end
    /// of the run) from <see cref="DataPosition"/> on, and queues them as batches: in data order when bucket_steps is 1,
    /// else bucketed by task and length in an order seeded by the data seed and the window's position.
    /// </summary>
    private void FillWindow(int firstStep)
    {
        var steps = Math.Clamp(Settings.Steps - firstStep, 1, Settings.BucketSteps);
        var count = steps * Settings.GradAccum * Settings.BatchSize;
        _window = new BucketWindow(firstStep, DataPosition);
        var examples = new List<(string Task, SftExample Example)>(count);
        var skipped = 0;
        while (examples.Count < count)
        {
            var item = _data[(int)(DataPosition % _data.Count)];
            DataPosition++;
            var example = _strategy is null
                ? SftExample.For(item, _tokenizer, _template, Settings.MaxSeqLen)
                : SftExample.ForEpisode(item, _strategy, _tokenizer, _template, Settings.MaxSeqLen);
            if (example is not null)
            {
                examples.Add((item.Task, example));
                skipped = 0;
            }
            else if (++skipped > _data.Count)
                throw new TrainingException($"SFT: strategy '{_strategy!.Name}' has no gold episode for any training item; train it on tasks it supports");
        }
        var batches = Settings.BucketSteps == 1
            ? examples.Select(e => e.Example).Chunk(Settings.BatchSize).ToArray()
            : SftBuckets.Batches(examples, Settings.BatchSize, unchecked((ulong)_seed * 0x9E3779B97F4A7C15UL ^ (ulong)_window.DataPosition));
        foreach (var batch in batches) _pending.Enqueue(batch);
    }

    public void Dispose() => Optimizer.Dispose();
}
