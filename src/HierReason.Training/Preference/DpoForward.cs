using HierReason.Engine.Models;
using HierReason.Training.Sft;
using static TorchSharp.torch;

namespace HierReason.Training.Preference;

/// <summary>Summed response log-probs of a batch of right-padded rows in one forward pass (padding follows every real token, so causal attention needs no mask).</summary>
public static class DpoForward
{
    /// <summary>(B) Σ log π over each row's learned targets, with the model's graph unless called under no_grad.</summary>
    public static Tensor LogProbs(CausalLM model, SftBatch batch)
    {
        using var scope = NewDisposeScope();
        var logits = model.forward(batch.Inputs);                                          // (B, T, V)
        return SequenceLogProbs.Sum(logits, batch.Targets, batch.LossMask).MoveToOuterDisposeScope();  // (B)
    }

    /// <summary>One batch of 2·B rows: the chosen responses, then the rejected ones.</summary>
    public static SftBatch Collate(IReadOnlyList<DpoExample> pairs, int padId, Device device) =>
        SftBatch.Collate(pairs.Select(p => p.Chosen).Concat(pairs.Select(p => p.Rejected)).ToArray(), padId, device);
}
