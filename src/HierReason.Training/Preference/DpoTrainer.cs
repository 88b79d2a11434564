using System.Diagnostics;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Checkpoints;
using HierReason.Training.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Training.Preference;

/// <summary>
/// DPO over tokenised pairs: each step scores a batch's chosen and rejected rows in one forward pass of the policy and one
/// of the reference (no graph), takes <see cref="DpoLoss"/>, clips and updates with AdamW. Pairs are shuffled per epoch
/// from the seed. With a LoRA adapter only the adapter trains.
/// </summary>
public sealed class DpoTrainer : IDisposable
{
    private readonly CausalLM _model;
    private readonly LoraAdapter? _adapter;
    private readonly DpoReference _reference;
    private readonly ITokenizer _tokenizer;
    private readonly IReadOnlyList<DpoExample> _pairs;

    public DpoTrainer(CausalLM model, LoraAdapter? adapter, DpoReference reference, ITokenizer tokenizer, IReadOnlyList<DpoExample> pairs, DpoSettings settings)
    {
        settings.Validate();
        if (pairs.Count == 0) throw new TrainingException("DPO: no training pairs");
        _model = model;
        _adapter = adapter;
        _reference = reference;
        _tokenizer = tokenizer;
        _pairs = pairs;
        Settings = settings;
        TotalSteps = settings.StepsFor(pairs.Count);
        Optimizer = new TrainingOptimizer(adapter is null ? model.parameters() : adapter.Parameters(),
            new LearningRateSchedule(settings.LearningRate, settings.WarmupSteps, TotalSteps), settings.WeightDecay, settings.MaxGradNorm);
    }

    public DpoSettings Settings { get; }
    public TrainingOptimizer Optimizer { get; }
    public int TotalSteps { get; }
    public int Step => Optimizer.StepCount;

    /// <summary>One optimiser step on <paramref name="batch"/>.</summary>
    public DpoStepMetrics TrainStep(IReadOnlyList<DpoExample> batch, int epoch = 1)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        // LoRA dropout draws from a seed fixed by the step.
        random.manual_seed(unchecked(Settings.Seed * 1_000_003 + Step));
        using var rows = DpoForward.Collate(batch, _tokenizer.PadId, _model.Device);
        var n = batch.Count;
        var reference = _reference.LogProbs(rows);                                        // (2B)
        _model.train();
        Optimizer.ZeroGrad();
        var policy = DpoForward.LogProbs(_model, rows);                                    // (2B)
        using var result = DpoLoss.Compute(policy.narrow(0, 0, n), policy.narrow(0, n, n), reference.narrow(0, 0, n), reference.narrow(0, n, n),
            Settings.Beta, Settings.LabelSmoothing);
        var loss = result.Loss.ToDouble();
        if (!double.IsFinite(loss)) throw new TrainingException($"DPO step {Step}: the loss is {loss}; training diverged (lower --lr)");
        result.Loss.backward();
        var (norm, lr) = Optimizer.Step();
        return new DpoStepMetrics(Step, epoch, loss, result.Metrics, norm, lr, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Loss and metrics of <paramref name="pairs"/> (default: the training pairs) under the current weights, without dropout or gradients.</summary>
    public DpoEpochSummary Measure(IReadOnlyList<DpoExample>? pairs = null, int epoch = 0)
    {
        pairs ??= _pairs;
        var wasTraining = _model.training;
        _model.eval();
        try
        {
            using var noGrad = no_grad();
            var batches = new List<DpoMetrics>();
            var lossSum = 0.0;
            foreach (var chunk in pairs.Chunk(Settings.BatchSize))
            {
                using var scope = NewDisposeScope();
                using var rows = DpoForward.Collate(chunk, _tokenizer.PadId, _model.Device);
                var n = chunk.Length;
                var reference = _reference.LogProbs(rows);                                // (2b)
                var policy = DpoForward.LogProbs(_model, rows);                            // (2b)
                using var result = DpoLoss.Compute(policy.narrow(0, 0, n), policy.narrow(0, n, n), reference.narrow(0, 0, n), reference.narrow(0, n, n),
                    Settings.Beta, Settings.LabelSmoothing);
                lossSum += result.Loss.ToDouble() * n;
                batches.Add(result.Metrics);
            }
            return new DpoEpochSummary(epoch, lossSum / pairs.Count, DpoMetrics.Mean(batches));
        }
        finally
        {
            _model.train(wasTraining);
        }
    }

    /// <summary>
    /// Trains every epoch; each step goes to <paramref name="onStep"/>, and every <see cref="DpoSettings.CheckpointEvery"/>
    /// steps a checkpoint to <paramref name="store"/>. Returns each epoch's means of its steps.
    /// </summary>
    public IReadOnlyList<DpoEpochSummary> Train(Action<DpoStepMetrics>? onStep = null, CheckpointStore? store = null, CancellationToken cancel = default)
    {
        var epochs = new List<DpoEpochSummary>();
        for (var epoch = 1; epoch <= Settings.Epochs; epoch++)
        {
            var steps = new List<DpoStepMetrics>();
            foreach (var batch in Shuffled(epoch).Chunk(Settings.BatchSize))
            {
                cancel.ThrowIfCancellationRequested();
                var m = TrainStep(batch, epoch);
                steps.Add(m);
                onStep?.Invoke(m);
                if (store is not null && Settings.CheckpointEvery > 0 && Step % Settings.CheckpointEvery == 0 && Step < TotalSteps) SaveCheckpoint(store);
            }
            epochs.Add(new DpoEpochSummary(epoch, steps.Sum(s => s.Loss * s.Metrics.Pairs) / steps.Sum(s => s.Metrics.Pairs), DpoMetrics.Mean(steps.Select(s => s.Metrics).ToArray())));
        }
        return epochs;
    }

    /// <summary>Writes checkpoint-&lt;step&gt; atomically: weights (HF layout) or the adapter (PEFT layout), optimiser state, trainer state, tokenizer.</summary>
    public string SaveCheckpoint(CheckpointStore store) =>
        store.Save(Step, directory => TrainingCheckpoint.Write(directory, _model, _adapter, _tokenizer, Optimizer,
            new TrainerState(Step, (long)Step * Settings.BatchSize, Settings.Seed, Settings.Seed, Optimizer.Schedule.At(Math.Max(Step - 1, 0)), TotalSteps)));

    /// <summary>The training pairs in epoch <paramref name="epoch"/>'s order (a seeded permutation).</summary>
    private IReadOnlyList<DpoExample> Shuffled(int epoch)
    {
        var order = Enumerable.Range(0, _pairs.Count).ToArray();
        new Random(unchecked((int)(Settings.Seed * 7919 + epoch))).Shuffle(order);
        return order.Select(i => _pairs[i]).ToArray();
    }

    public void Dispose() => Optimizer.Dispose();
}
