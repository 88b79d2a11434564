using HierReason.Engine.Tokenizers;
using static TorchSharp.torch;

namespace HierReason.Engine.Prm;

/// <summary>
/// Scores trajectories with a <see cref="ProcessRewardModel"/>: p_t = Σ_{c ∈ prob_labels} softmax(logits_t)[c] at each step's
/// separator (seed 001's step reward), then a <see cref="TrajectoryReduction"/>. Many trajectories go through in batches.
/// </summary>
public sealed class PrmScorer(ProcessRewardModel model, ITokenizer tokenizer, string separator = StepSequence.DefaultSeparator,
    int maxLength = StepSequence.DefaultMaxLength, IReadOnlyList<int>? probLabels = null)
{
    private readonly int[] _probLabels = (probLabels ?? model.Config.ProbLabels).ToArray();

    public ProcessRewardModel Model { get; } = model;
    public ITokenizer Tokenizer { get; } = tokenizer;

    public PrmScore Score(string prompt, IReadOnlyList<string> steps, TrajectoryReduction reduction = TrajectoryReduction.Product) =>
        ScoreMany([new Trajectory(prompt, steps)], reduction)[0];

    /// <summary>Scores <paramref name="trajectories"/> <paramref name="batchSize"/> at a time, in input order.</summary>
    public IReadOnlyList<PrmScore> ScoreMany(IReadOnlyList<Trajectory> trajectories, TrajectoryReduction reduction = TrajectoryReduction.Product, int batchSize = 16)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize));
        foreach (var label in _probLabels)
            if (label < 0 || label >= Model.Config.NumLabels)
                throw new EngineException($"prob_labels: class {label} is not one of this PRM's {Model.Config.NumLabels} classes");
        var sequences = trajectories.Select(t => StepSequence.Build(Tokenizer, t.Prompt, t.Steps, separator, maxLength)).ToList();
        var results = new List<PrmScore>(sequences.Count);
        var wasTraining = Model.training;
        Model.eval();
        try
        {
            for (var start = 0; start < sequences.Count; start += batchSize)
            {
                var chunk = sequences.GetRange(start, Math.Min(batchSize, sequences.Count - start));
                var rewards = StepRewards(chunk);
                var offset = 0;
                foreach (var sequence in chunk)
                {
                    var steps = rewards.Skip(offset).Take(sequence.LabelPositions.Length).ToList();
                    offset += steps.Count;
                    results.Add(new PrmScore(steps, sequence.TotalSteps, TrajectoryReductions.Reduce(steps, reduction), reduction));
                }
            }
        }
        finally
        {
            Model.train(wasTraining);
        }
        return results;
    }

    private double[] StepRewards(IReadOnlyList<StepSequence> chunk)
    {
        if (chunk.All(s => s.LabelPositions.Length == 0)) return [];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var batch = StepBatch.Collate(chunk, Tokenizer.PadId, Model.Device);
        var logits = Model.StepLogits(batch.InputIds, batch.Rows, batch.Positions);            // (N, L)
        var probs = logits.to(ScalarType.Float32).softmax(-1);                                 // (N, L)
        var picked = probs.index_select(1, tensor(_probLabels.Select(p => (long)p).ToArray(), device: probs.device)).sum(1);   // (N)
        return picked.to(ScalarType.Float64).cpu().data<double>().ToArray();
    }
}
