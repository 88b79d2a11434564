using HierReason.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Generation;

/// <summary>
/// Log-probabilities of given completions under a model in one forward pass: prompts are left-padded and completions
/// right-padded, so every completion starts in the same column. GRPO scores the policy (with gradients) and the reference with it.
/// </summary>
public static class CompletionScorer
{
    /// <summary>
    /// Scores each (prompt, completion) pair; the result is log-softmax(logits / temperature) at each completion token,
    /// zero where the mask is 0. Gradients flow when called outside <c>no_grad</c>.
    /// </summary>
    public static CompletionScores Score(
        CausalLM model,
        IReadOnlyList<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Completion)> pairs,
        double temperature = 1.0,
        int padTokenId = 0)
    {
        if (pairs.Count == 0) throw new ArgumentException("nothing to score", nameof(pairs));
        if (pairs.Any(p => p.Prompt.Count == 0)) throw new EngineException("scoring: every prompt needs at least one token");
        if (temperature <= 0) throw new EngineException($"scoring: temperature must be > 0 (found {temperature})");
        var device = model.Device;
        using var scope = NewDisposeScope();
        using var prompts = PaddedBatch.LeftPadded(pairs.Select(p => p.Prompt).ToArray(), padTokenId, device);
        using var completions = PaddedBatch.RightPadded(pairs.Select(p => p.Completion.Count > 0 ? p.Completion : (IReadOnlyList<int>)[padTokenId]).ToArray(), padTokenId, device);
        var completionMask = tensor(
            pairs.SelectMany(p => Enumerable.Range(0, completions.Width).Select(j => j < p.Completion.Count ? 1L : 0L)).ToArray(),
            [pairs.Count, completions.Width], dtype: ScalarType.Int64, device: device);               // (B, Tc)

        var ids = cat([prompts.Ids, completions.Ids], dim: 1);                                        // (B, P + Tc)
        var mask = cat([prompts.Mask, completionMask], dim: 1);                                       // (B, P + Tc)
        var positions = (mask.cumsum(1) - 1).clamp_min(0);                                            // (B, P + Tc)
        // The logit at column j predicts the token at column j + 1, so columns P-1 … P+Tc-2 score the completion.
        var logits = model.ForwardTail(ids, positions, completions.Width + 1, attentionMask: mask);  // (B, Tc + 1, V)
        var predicting = logits.narrow(1, 0, completions.Width).to(ScalarType.Float32) / temperature;         // (B, Tc, V)
        var logProbs = predicting.log_softmax(-1).gather(-1, completions.Ids.unsqueeze(-1)).squeeze(-1);      // (B, Tc)
        logProbs = logProbs * completionMask.to(ScalarType.Float32);
        return new CompletionScores(logProbs.MoveToOuterDisposeScope(), completionMask.MoveToOuterDisposeScope());
    }
}
