using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Generation;

/// <summary>Turns next-token logits into sampled tokens and their log-probabilities (temperature, top-k, top-p, greedy).</summary>
public static class TokenSampler
{
    /// <summary>
    /// Samples one token per row of <paramref name="logits"/> (B, V). The returned log-probabilities are
    /// log-softmax(logits / temperature) of the chosen tokens (temperature 1 when greedy), before top-k/top-p
    /// truncation, so they match what <see cref="CompletionScorer"/> computes at the same temperature.
    /// </summary>
    public static (Tensor Tokens, Tensor LogProbs) Sample(Tensor logits, GenerationOptions options, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var scaled = logits.to(ScalarType.Float32);                                                  // (B, V)
        if (options.Temperature > 0 && options.Temperature != 1) scaled = scaled / options.Temperature;
        // One (B, 1) normaliser instead of a (B, V) log-softmax: only the chosen tokens' log-probabilities are reported.
        var logNorm = scaled.logsumexp(-1, keepdim: true);                                          // (B, 1)
        Tensor tokens;
        if (options.Temperature == 0)
            tokens = scaled.argmax(-1);                                                              // (B)
        else
        {
            // Without top-k/top-p the sampling distribution is softmax(scaled) itself: no sort, no second normalisation.
            var probs = Truncates(options, logits.shape[^1])
                ? Truncate(scaled, options).softmax(-1)                                              // (B, V)
                : (scaled - logNorm).exp_();                                                         // (B, V)
            tokens = multinomial(probs, 1, generator: generator).squeeze(-1);                       // (B)
        }
        var chosen = scaled.gather(-1, tokens.unsqueeze(-1)).sub_(logNorm).squeeze(-1);             // (B)
        return (tokens.MoveToOuterDisposeScope(), chosen.MoveToOuterDisposeScope());
    }

    private static bool Truncates(GenerationOptions options, long vocab) =>
        (options.TopK > 0 && options.TopK < vocab) || options.TopP < 1.0;

    /// <summary>Sets logits outside the top-k and outside the top-p nucleus to −∞; the most likely token always survives.</summary>
    public static Tensor Truncate(Tensor logits, GenerationOptions options)
    {
        using var scope = NewDisposeScope();
        var result = logits.alias();
        var vocab = logits.shape[^1];
        if (options.TopK > 0 && options.TopK < vocab)
        {
            var (top, _) = result.topk(options.TopK, dim: -1);                                       // (B, k)
            var threshold = top.narrow(-1, options.TopK - 1, 1);                                     // (B, 1)
            result = result.masked_fill(result.lt(threshold), double.NegativeInfinity);
        }
        if (options.TopP < 1.0)
        {
            var (sorted, order) = result.sort(-1, descending: true);                                 // (B, V)
            var probs = sorted.softmax(-1);
            var before = probs.cumsum(-1) - probs;                                                   // mass strictly above each token
            var dropSorted = before.ge(options.TopP);                                                // (B, V); first column is never dropped
            var drop = zeros_like(dropSorted).scatter(-1, order, dropSorted);
            result = result.masked_fill(drop, double.NegativeInfinity);
        }
        return result.MoveToOuterDisposeScope();
    }
}
