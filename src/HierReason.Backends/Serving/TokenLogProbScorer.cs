using HierReason.Engine.Generation;
using HierReason.Engine.Inference;
using static TorchSharp.torch;

namespace HierReason.Backends.Serving;

/// <summary>
/// Scores whole token sequences for the server's <c>logprobs</c> and <c>echo</c>: one forward pass per batch of rows,
/// float32 log-softmax over the full vocabulary, no temperature (what vLLM reports by default, and what
/// <see cref="CompletionScorer"/> computes at temperature 1). The chosen token's log-probability and the top-k come from
/// the same tensor, so a greedy token's value equals the largest alternative bit for bit (lm-eval's <c>is_greedy</c>).
/// </summary>
internal static class TokenLogProbScorer
{
    // Logits are (rows, width, vocab) float32 twice over (logits and log-softmax): rows are cut so one pass stays near 256 MiB each.
    private const long FloatsPerPass = 1L << 26;

    /// <summary>
    /// For each row, tokens <c>From</c>..end of <c>Ids</c> with their log-probabilities and <c>Top</c> alternatives (0 = none).
    /// Rows are right-padded: causal attention never lets a real token see the padding after it, so no mask is needed.
    /// </summary>
    public static TokenLogProbs[] Score(LocalModel model, IReadOnlyList<(int[] Ids, int From, int Top)> rows)
    {
        var results = new TokenLogProbs[rows.Count];
        var vocab = model.Model.Config.VocabSize;
        var decoded = new Dictionary<int, string>();
        string Text(int id)
        {
            if (!decoded.TryGetValue(id, out var text)) decoded[id] = text = id < model.Tokenizer.VocabSize ? model.Tokenizer.Decode([id]) : "";
            return text;
        }

        var order = Enumerable.Range(0, rows.Count).Where(r => rows[r].Ids.Length - Math.Max(rows[r].From, 1) > 0).ToList();
        using var noGrad = no_grad();
        // As in generation: LoRA dropout is for training steps only.
        var wasTraining = model.Model.training;
        model.Model.eval();
        try
        {
            var start = 0;
            while (start < order.Count)
            {
                // Grow the pass while its (rows × kept columns × vocab) logits fit.
                var end = start + 1;
                while (end < order.Count && Floats(rows, order, start, end + 1, vocab) <= FloatsPerPass) end++;
                ScorePass(model, rows, order.GetRange(start, end - start), results, Text);
                start = end;
            }
        }
        finally
        {
            if (wasTraining) model.Model.train();
        }
        for (var r = 0; r < rows.Count; r++)
            results[r] ??= Assemble(rows[r], 0, [], [], [], 0, Text);
        return results;
    }

    private static long Floats(IReadOnlyList<(int[] Ids, int From, int Top)> rows, List<int> order, int start, int end, long vocab)
    {
        var chunk = order.GetRange(start, end - start);
        var width = chunk.Max(r => rows[r].Ids.Length);
        var first = chunk.Min(r => Math.Max(rows[r].From, 1));
        return (end - start) * (long)(width - first) * vocab;
    }

    private static void ScorePass(LocalModel model, IReadOnlyList<(int[] Ids, int From, int Top)> rows, List<int> chunk, TokenLogProbs[] results, Func<int, string> text)
    {
        using var scope = NewDisposeScope();
        var width = chunk.Max(r => rows[r].Ids.Length);
        // Column j's logits predict token j + 1: inputs stop one short of the end, and only columns first-1 … width-2 are projected.
        var first = chunk.Min(r => Math.Max(rows[r].From, 1));
        var keep = width - first;                                                                   // K
        var top = chunk.Max(r => rows[r].Top);
        using var batch = PaddedBatch.RightPadded(chunk.Select(r => (IReadOnlyList<int>)rows[r].Ids).ToArray(), model.Tokenizer.PadId, model.Model.Device);
        var inputs = batch.Ids.narrow(1, 0, width - 1);                                             // (B, W - 1)
        var positions = batch.Positions.narrow(1, 0, width - 1);                                    // (B, W - 1)
        var logits = model.Model.ForwardTail(inputs, positions, keep);                              // (B, K, V)
        var all = logits.to(ScalarType.Float32).log_softmax(-1);                                    // (B, K, V)
        var targets = batch.Ids.narrow(1, first, keep);                                             // (B, K)
        var chosen = all.gather(-1, targets.unsqueeze(-1)).squeeze(-1).cpu().data<float>().ToArray();  // (B·K)
        float[] topValues = [];
        long[] topIds = [];
        if (top > 0)
        {
            var (values, ids) = all.topk(Math.Min(top, (int)all.shape[^1]), dim: -1);             // (B, K, N) each
            topValues = values.cpu().data<float>().ToArray();
            topIds = ids.cpu().data<long>().ToArray();
        }
        var n = top > 0 ? (int)Math.Min(top, all.shape[^1]) : 0;
        for (var b = 0; b < chunk.Count; b++)
            results[chunk[b]] = Assemble(rows[chunk[b]], first, chosen.AsSpan(b * keep, keep).ToArray(),
                topValues.Length == 0 ? [] : topValues.AsSpan(b * keep * n, keep * n).ToArray(),
                topIds.Length == 0 ? [] : topIds.AsSpan(b * keep * n, keep * n).ToArray(), n, text);
    }

    /// <summary>One row's result; <paramref name="chosen"/>[c] scores token first + c, <paramref name="topValues"/> holds n per column.</summary>
    private static TokenLogProbs Assemble((int[] Ids, int From, int Top) row, int first, float[] chosen, float[] topValues, long[] topIds, int n, Func<int, string> text)
    {
        var count = row.Ids.Length - row.From;
        var tokens = new string[count];
        var logProbs = new float?[count];
        var alternatives = new (string, float)[]?[count];
        for (var k = 0; k < count; k++)
        {
            var t = row.From + k;
            tokens[k] = text(row.Ids[t]);
            if (t == 0) continue;
            var c = t - first;
            logProbs[k] = chosen[c];
            var own = Math.Min(row.Top, n);
            alternatives[k] = Enumerable.Range(0, own).Select(j => (text((int)topIds[c * n + j]), topValues[c * n + j])).ToArray();
        }
        return new TokenLogProbs(tokens, logProbs, alternatives);
    }
}
