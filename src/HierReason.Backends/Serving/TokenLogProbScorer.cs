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
    /// For each row, tokens <c>From</c>..end of <c>Ids</c> with their log-probabilities and <c>Top</c> alternatives (0 = none);
    /// a <c>PickNext</c> row also gets the likeliest next token (greedy decoding of one token), appended as its last entry.
    /// Rows are right-padded: causal attention never lets a real token see the padding after it, so no mask is needed.
    /// </summary>
    public static ScoredRow[] Score(LocalModel model, IReadOnlyList<ScoreRow> rows)
    {
        var results = new ScoredRow[rows.Count];
        var vocab = model.Model.Config.VocabSize;
        var decoded = new Dictionary<int, string>();
        string Text(int id)
        {
            if (!decoded.TryGetValue(id, out var text)) decoded[id] = text = id < model.Tokenizer.VocabSize ? model.Tokenizer.Decode([id]) : "";
            return text;
        }

        var order = Enumerable.Range(0, rows.Count).Where(r => rows[r].Length - rows[r].First > 0).ToList();
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
                while (end < order.Count && Floats(rows, order.GetRange(start, end + 1 - start), vocab) <= FloatsPerPass) end++;
                ScorePass(model, rows, order.GetRange(start, end - start), results, Text);
                start = end;
            }
        }
        finally
        {
            if (wasTraining) model.Model.train();
        }
        for (var r = 0; r < rows.Count; r++)
            results[r] ??= new ScoredRow(Assemble(rows[r], null, 0, [], [], [], 0, Text), null);
        return results;
    }

    private static long Floats(IReadOnlyList<ScoreRow> rows, List<int> chunk, long vocab) =>
        chunk.Count * (long)(chunk.Max(r => rows[r].Length) - chunk.Min(r => rows[r].First)) * vocab;

    private static void ScorePass(LocalModel model, IReadOnlyList<ScoreRow> rows, List<int> chunk, ScoredRow[] results, Func<int, string> text)
    {
        using var scope = NewDisposeScope();
        var device = model.Model.Device;
        // Column j's logits predict token j + 1 (a picked next token sits one past a row's ids): inputs stop one short of
        // the longest scored length, and only columns first-1 … width-2 are projected.
        var width = chunk.Max(r => rows[r].Length);
        var first = chunk.Min(r => rows[r].First);
        var keep = width - first;                                                                   // K
        var top = chunk.Max(r => rows[r].Top);
        using var batch = PaddedBatch.RightPadded(chunk.Select(r => (IReadOnlyList<int>)rows[r].Ids).ToArray(), model.Tokenizer.PadId, device);
        var inputs = batch.Ids.narrow(1, 0, width - 1);                                             // (B, W - 1)
        var positions = batch.Positions.narrow(1, 0, width - 1);                                    // (B, W - 1)
        var logits = model.Model.ForwardTail(inputs, positions, keep);                              // (B, K, V)
        var all = logits.to(ScalarType.Float32).log_softmax(-1);                                    // (B, K, V)
        // A picked token's column has no id yet: its target is padding, read from the max below instead.
        var ids = cat([batch.Ids, full(chunk.Count, 1, (long)model.Tokenizer.PadId, dtype: ScalarType.Int64, device: device)], dim: 1);  // (B, W_ids + 1)
        var targets = ids.narrow(1, first, keep);                                                   // (B, K)
        var chosen = all.gather(-1, targets.unsqueeze(-1)).squeeze(-1).cpu().data<float>().ToArray();  // (B·K)
        float[] bestValues = [];
        long[] bestIds = [];
        if (chunk.Any(r => rows[r].PickNext))
        {
            var (values, indices) = all.max(-1);                                                     // (B, K) each
            bestValues = values.cpu().data<float>().ToArray();
            bestIds = indices.cpu().data<long>().ToArray();
        }
        float[] topValues = [];
        long[] topIds = [];
        var n = (int)Math.Min(top, all.shape[^1]);
        if (n > 0)
        {
            var (values, indices) = all.topk(n, dim: -1);                                           // (B, K, N) each
            topValues = values.cpu().data<float>().ToArray();
            topIds = indices.cpu().data<long>().ToArray();
        }
        for (var b = 0; b < chunk.Count; b++)
        {
            var row = rows[chunk[b]];
            var own = chosen.AsSpan(b * keep, keep).ToArray();
            int? next = null;
            if (row.PickNext)
            {
                // The picked token's log-probability is the maximum itself: bit-equal to its first alternative.
                var c = row.Ids.Length - first;
                next = (int)bestIds[b * keep + c];
                own[c] = bestValues[b * keep + c];
            }
            results[chunk[b]] = new ScoredRow(Assemble(row, next, first, own,
                n == 0 ? [] : topValues.AsSpan(b * keep * n, keep * n).ToArray(),
                n == 0 ? [] : topIds.AsSpan(b * keep * n, keep * n).ToArray(), n, text), next);
        }
    }

    /// <summary>One row's result; <paramref name="chosen"/>[c] scores token first + c, <paramref name="topValues"/> holds n per column.</summary>
    private static TokenLogProbs Assemble(ScoreRow row, int? next, int first, float[] chosen, float[] topValues, long[] topIds, int n, Func<int, string> text)
    {
        var length = row.Ids.Length + (next is null ? 0 : 1);
        var count = length - row.From;
        var tokens = new string[count];
        var logProbs = new float?[count];
        var alternatives = new (string, float)[]?[count];
        for (var k = 0; k < count; k++)
        {
            var t = row.From + k;
            tokens[k] = text(t < row.Ids.Length ? row.Ids[t] : next!.Value);
            if (t == 0) continue;
            var c = t - first;
            logProbs[k] = chosen[c];
            var own = Math.Min(row.Top, n);
            alternatives[k] = Enumerable.Range(0, own).Select(j => (text((int)topIds[c * n + j]), topValues[c * n + j])).ToArray();
        }
        return new TokenLogProbs(tokens, logProbs, alternatives);
    }
}

/// <summary>
/// A sequence to score from token <see cref="From"/> on, with <see cref="Top"/> alternatives per token; with
/// <see cref="PickNext"/>, the likeliest next token is chosen and scored too.
/// </summary>
internal sealed record ScoreRow(int[] Ids, int From, int Top, bool PickNext = false)
{
    /// <summary>The scored length: the ids, plus the picked token.</summary>
    public int Length => Ids.Length + (PickNext ? 1 : 0);

    /// <summary>The first position that needs a prediction (position 0 has none): the first logit column is one before it.</summary>
    public int First => Math.Max(From, 1);
}

/// <summary>A row's tokens and log-probabilities, and the token picked after it (null unless asked).</summary>
internal sealed record ScoredRow(TokenLogProbs LogProbs, int? Next);
