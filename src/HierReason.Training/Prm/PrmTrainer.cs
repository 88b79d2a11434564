using System.Diagnostics;
using System.Globalization;
using HierReason.Engine.Prm;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Optim;
using static TorchSharp.torch;

namespace HierReason.Training.Prm;

/// <summary>
/// Trains a <see cref="ProcessRewardModel"/> on labelled trajectories: each batch is one forward pass over whole trajectories,
/// the loss (<see cref="PrmLoss"/>) read at every step's separator, AdamW with warm-up and cosine decay, seeded shuffling.
/// </summary>
public sealed class PrmTrainer(ProcessRewardModel model, ITokenizer tokenizer, PrmTrainSettings settings)
{
    /// <summary>One optimiser step's report: the step (1-based), its epoch, loss, learning rate and labelled steps seen.</summary>
    public sealed record Progress(int Step, int TotalSteps, int Epoch, double Loss, double LearningRate, double StepsPerSecond);

    /// <summary>The losses of every optimiser step and the labelled steps they covered.</summary>
    public sealed record Result(IReadOnlyList<double> Losses, int LabelledSteps, int TruncatedSteps, double Seconds);

    public ProcessRewardModel Model { get; } = model;
    public PrmTrainSettings Settings { get; } = settings;

    /// <summary>
    /// Splits off round(held-out × n) trajectories (at least one when the fraction is positive and n ≥ 2) by a seeded shuffle;
    /// both parts keep input order.
    /// </summary>
    public static (IReadOnlyList<StepwiseExample> Train, IReadOnlyList<StepwiseExample> HeldOut) Split(IReadOnlyList<StepwiseExample> examples, double heldOut, long seed)
    {
        var count = heldOut <= 0 || examples.Count < 2 ? 0 : Math.Clamp((int)Math.Round(heldOut * examples.Count), 1, examples.Count - 1);
        var order = Enumerable.Range(0, examples.Count).ToArray();
        new Random(unchecked((int)seed)).Shuffle(order);
        var held = order.Take(count).ToHashSet();
        return (examples.Where((_, i) => !held.Contains(i)).ToList(), examples.Where((_, i) => held.Contains(i)).ToList());
    }

    /// <summary>Runs <see cref="PrmTrainSettings.Epochs"/> epochs over <paramref name="train"/>, reporting through <paramref name="progress"/>.</summary>
    public Result Train(IReadOnlyList<StepwiseExample> train, Action<Progress>? progress = null)
    {
        Settings.Validate();
        var encoded = Encode(train);
        var usable = encoded.Where(e => e.Sequence.LabelPositions.Length > 0).ToList();
        if (usable.Count == 0) throw new TrainingException($"no trajectory has a labelled step within max_length {Settings.MaxLength}");
        var batchesPerEpoch = (usable.Count + Settings.BatchSize - 1) / Settings.BatchSize;
        var totalSteps = batchesPerEpoch * Settings.Epochs;
        var schedule = new LearningRateSchedule(Settings.LearningRate, (int)Math.Round(Settings.WarmupRatio * totalSteps), totalSteps);
        using var optimizer = new TrainingOptimizer(Model.parameters(), schedule, Settings.WeightDecay, Settings.MaxGradNorm);
        var random = new Random(unchecked((int)Settings.Seed));
        var losses = new List<double>(totalSteps);
        var labelled = 0;
        var clock = Stopwatch.StartNew();
        Model.train();
        for (var epoch = 1; epoch <= Settings.Epochs; epoch++)
        {
            var order = usable.ToArray();
            random.Shuffle(order);
            for (var start = 0; start < order.Length; start += Settings.BatchSize)
            {
                var batch = order.AsSpan(start, Math.Min(Settings.BatchSize, order.Length - start)).ToArray();
                double loss;
                using (var scope = NewDisposeScope())
                {
                    var value = BatchLoss(batch);
                    value.backward();
                    loss = value.item<float>();
                }
                if (!double.IsFinite(loss)) throw new TrainingException($"step {losses.Count + 1}: the loss is not finite; lower --lr");
                var (_, lr) = optimizer.Step();
                losses.Add(loss);
                labelled += batch.Sum(e => e.Sequence.LabelPositions.Length);
                if (losses.Count % Settings.LogEvery == 0 || losses.Count == totalSteps)
                    progress?.Invoke(new Progress(losses.Count, totalSteps, epoch, loss, lr, losses.Count / clock.Elapsed.TotalSeconds));
            }
        }
        Model.eval();
        return new Result(losses, labelled, encoded.Sum(e => e.Sequence.TruncatedSteps), clock.Elapsed.TotalSeconds);
    }

    /// <summary>Loss, accuracy and AUC over every labelled step of <paramref name="examples"/> (null when none is labelled in range).</summary>
    public PrmEvaluation? Evaluate(IReadOnlyList<StepwiseExample> examples)
    {
        var encoded = Encode(examples).Where(e => e.Sequence.LabelPositions.Length > 0).ToList();
        if (encoded.Count == 0) return null;
        var scores = new List<double>();
        var positive = new List<bool>();
        var lossSum = 0.0;
        var probLabels = Model.Config.ProbLabels;
        var wasTraining = Model.training;
        Model.eval();
        try
        {
            for (var start = 0; start < encoded.Count; start += Settings.BatchSize)
            {
                var batch = encoded.GetRange(start, Math.Min(Settings.BatchSize, encoded.Count - start));
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                using var steps = StepBatch.Collate(batch.Select(e => e.Sequence).ToList(), tokenizer.PadId, Model.Device);
                var logits = Model.StepLogits(steps.InputIds, steps.Rows, steps.Positions);    // (N, L)
                var targets = Targets(batch);                                                  // (N, L)
                lossSum += PrmLoss.Compute(logits, targets).item<float>() * targets.shape[0];
                var probs = logits.to(ScalarType.Float32).softmax(-1)
                    .index_select(1, tensor(probLabels.Select(p => (long)p).ToArray())).sum(1); // (N)
                scores.AddRange(probs.to(ScalarType.Float64).data<double>().ToArray());
                foreach (var e in batch)
                    for (var t = 0; t < e.Sequence.LabelPositions.Length; t++)
                        positive.Add(PrmLoss.IsPositive(e.Labels[t], Model.Config.NumLabels, probLabels));
            }
        }
        finally
        {
            Model.train(wasTraining);
        }
        var auc = StepMetrics.RocAuc(scores, positive);
        return new PrmEvaluation(encoded.Count, scores.Count, lossSum / scores.Count, StepMetrics.Accuracy(scores, positive),
            double.IsNaN(auc) ? null : auc, positive.Count(p => p) / (double)positive.Count);
    }

    private Tensor BatchLoss(IReadOnlyList<Encoded> batch)
    {
        using var steps = StepBatch.Collate(batch.Select(e => e.Sequence).ToList(), tokenizer.PadId, Model.Device);
        var logits = Model.StepLogits(steps.InputIds, steps.Rows, steps.Positions);            // (N, L)
        return PrmLoss.Compute(logits, Targets(batch));                                        // ()
    }

    private Tensor Targets(IReadOnlyList<Encoded> batch)
    {
        var rows = batch.SelectMany(e => e.Labels.Take(e.Sequence.LabelPositions.Length)).Select(l => PrmLoss.Target(l, Model.Config.NumLabels)).ToList();
        return tensor(rows.SelectMany(r => r).Select(v => (float)v).ToArray(), [rows.Count, Model.Config.NumLabels], device: Model.Device);   // (N, L)
    }

    // Every label is checked against the head here, before any step is taken.
    private List<Encoded> Encode(IReadOnlyList<StepwiseExample> examples) =>
        examples.Select((e, i) =>
        {
            var labels = e.Labels ?? throw new TrainingException($"trajectory {i.ToString(CultureInfo.InvariantCulture)} has no labels");
            foreach (var label in labels) PrmLoss.Target(label, Model.Config.NumLabels);
            return new Encoded(StepSequence.Build(tokenizer, e.Prompt, e.Steps, Settings.Separator, Settings.MaxLength), labels);
        }).ToList();

    private sealed record Encoded(StepSequence Sequence, IReadOnlyList<double> Labels);
}
