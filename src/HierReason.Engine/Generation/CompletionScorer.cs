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
    /// zero where the mask is 0. Gradients flow when called outside <c>no_grad</c>. <paramref name="restricted"/>, when
    /// given, names per pair the completion spans sampled from a restricted set: there the softmax runs over that set only.
    /// </summary>
    public static CompletionScores Score(
        CausalLM model,
        IReadOnlyList<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Completion)> pairs,
        double temperature = 1.0,
        int padTokenId = 0,
        IReadOnlyList<IReadOnlyList<RestrictedSpan>>? restricted = null,
        bool entropy = false)
    {
        if (pairs.Count == 0) throw new ArgumentException("nothing to score", nameof(pairs));
        if (pairs.Any(p => p.Prompt.Count == 0)) throw new EngineException("scoring: every prompt needs at least one token");
        if (temperature <= 0) throw new EngineException($"scoring: temperature must be > 0 (found {temperature})");
        var (unique, rowOf) = DistinctPrompts(pairs);
        if (restricted is not null && restricted.Count != pairs.Count) throw new ArgumentException("one list of restricted spans per pair", nameof(restricted));
        if (unique.Count < pairs.Count) return ScoreSharedPrompts(model, pairs, unique, rowOf, temperature, padTokenId, restricted, entropy);
        var device = model.Device;
        using var scope = NewDisposeScope();
        using var prompts = PaddedBatch.LeftPadded(pairs.Select(p => p.Prompt).ToArray(), padTokenId, device);
        var (completions, completionMask) = Completions(pairs.Select(p => p.Completion).ToArray(), padTokenId, device);  // (B, Tc) each
        using var _ = completions;

        var ids = cat([prompts.Ids, completions.Ids], dim: 1);                                        // (B, P + Tc)
        var mask = cat([prompts.Mask, completionMask], dim: 1);                                       // (B, P + Tc)
        var positions = (mask.cumsum(1) - 1).clamp_min(0);                                            // (B, P + Tc)
        // The logit at column j predicts the token at column j + 1, so columns P-1 … P+Tc-2 score the completion.
        var logits = model.ForwardTail(ids, positions, completions.Width + 1, attentionMask: mask);  // (B, Tc + 1, V)
        return Gather(logits.narrow(1, 0, completions.Width), completions.Ids, completionMask, temperature, restricted, entropy);
    }

    /// <summary>
    /// The same scores when several pairs share a prompt (a GRPO group): each distinct prompt runs through the model once,
    /// and only the completions run per row (<see cref="Score(CausalLM, PromptPrefix, IReadOnlyList{long}, IReadOnlyList{IReadOnlyList{int}}, double, int, IReadOnlyList{IReadOnlyList{RestrictedSpan}}?, bool)"/>).
    /// </summary>
    private static CompletionScores ScoreSharedPrompts(
        CausalLM model,
        IReadOnlyList<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Completion)> pairs,
        IReadOnlyList<IReadOnlyList<int>> unique,
        long[] rowOf,
        double temperature,
        int padTokenId,
        IReadOnlyList<IReadOnlyList<RestrictedSpan>>? restricted,
        bool entropy)
    {
        using var prefix = PromptPrefix.Run(model, unique, padTokenId);
        return Score(model, prefix, rowOf, pairs.Select(p => p.Completion).ToArray(), temperature, padTokenId, restricted, entropy);
    }

    /// <summary>
    /// Scores <paramref name="completions"/>, completion i continuing prompt <paramref name="promptOf"/>[i] of
    /// <paramref name="prefix"/>: the prefix's keys and values are gathered to one row per completion, the prompt's last
    /// logit scores the first completion token, and only the completions run through the model. Gradients flow back into
    /// the prefix's tensors (to its leaves after <see cref="PromptPrefix.Detach"/>).
    /// </summary>
    public static CompletionScores Score(
        CausalLM model,
        PromptPrefix prefix,
        IReadOnlyList<long> promptOf,
        IReadOnlyList<IReadOnlyList<int>> completions,
        double temperature = 1.0,
        int padTokenId = 0,
        IReadOnlyList<IReadOnlyList<RestrictedSpan>>? restricted = null,
        bool entropy = false)
    {
        if (completions.Count == 0 || promptOf.Count != completions.Count) throw new ArgumentException("one prompt index per completion, at least one completion", nameof(promptOf));
        if (promptOf.Any(i => i < 0 || i >= prefix.Count)) throw new ArgumentOutOfRangeException(nameof(promptOf), "a prompt index is outside the prefix");
        if (temperature <= 0) throw new EngineException($"scoring: temperature must be > 0 (found {temperature})");
        if (restricted is not null && restricted.Count != completions.Count) throw new ArgumentException("one list of restricted spans per completion", nameof(restricted));
        var device = model.Device;
        using var scope = NewDisposeScope();
        var (batch, completionMask) = Completions(completions, padTokenId, device);                 // (B, Tc) each
        using var _ = batch;
        var width = batch.Width;
        var rows = tensor(promptOf.ToArray(), dtype: ScalarType.Int64, device: device);             // (B)
        var logits = prefix.LastLogits.index_select(0, rows);                                       // (B, 1, V)
        if (width > 1)
        {
            using var cache = KvCache.FromRows(prefix.Keys, prefix.Values, rows, width - 1);
            var rowPromptMask = prefix.Mask.index_select(0, rows);                                  // (B, P)
            var mask = cat([rowPromptMask, completionMask.narrow(1, 0, width - 1)], dim: 1);        // (B, P + Tc - 1)
            // A row's padding continues its positions past its own end; padding is masked, but a short completion after
            // a long prompt would ask the rotary table for positions past max_position_embeddings, so they are clamped.
            var positions = (rowPromptMask.sum(1, keepdim: true) + arange(width - 1, dtype: ScalarType.Int64, device: device).unsqueeze(0))
                .clamp_max(model.Config.MaxPositionEmbeddings - 1);                                  // (B, Tc - 1)
            // Completion token j (fed at column j) predicts token j + 1; the last one predicts nothing scored.
            var inputs = batch.Ids.narrow(1, 0, width - 1);                                         // (B, Tc - 1)
            var rest = model.ForwardTail(inputs, positions, 0, cache, mask);                        // (B, Tc - 1, V)
            logits = cat([logits, rest], dim: 1);                                                   // (B, Tc, V)
        }
        return Gather(logits, batch.Ids, completionMask, temperature, restricted, entropy);
    }

    /// <summary>Right-padded completions (an empty one scores a single masked pad) and their (B, Tc) 1/0 mask.</summary>
    private static (PaddedBatch Batch, Tensor Mask) Completions(IReadOnlyList<IReadOnlyList<int>> completions, int padTokenId, Device device)
    {
        var batch = PaddedBatch.RightPadded(completions.Select(c => c.Count > 0 ? c : (IReadOnlyList<int>)[padTokenId]).ToArray(), padTokenId, device);
        var mask = tensor(
            completions.SelectMany(c => Enumerable.Range(0, batch.Width).Select(j => j < c.Count ? 1L : 0L)).ToArray(),
            [completions.Count, batch.Width], dtype: ScalarType.Int64, device: device);
        return (batch, mask);
    }

    /// <summary>log-softmax(logits / temperature) at each completion token, zeroed where the mask is 0 (and the full distribution's entropy when asked); the results leave the caller's scope.</summary>
    private static CompletionScores Gather(Tensor logits, Tensor completionIds, Tensor completionMask, double temperature,
        IReadOnlyList<IReadOnlyList<RestrictedSpan>>? restricted, bool entropy)
    {
        var predicting = logits.to(ScalarType.Float32) / temperature;                               // (B, Tc, V)
        var all = predicting.log_softmax(-1);                                                       // (B, Tc, V)
        var logProbs = all.gather(-1, completionIds.unsqueeze(-1)).squeeze(-1);                    // (B, Tc)
        Tensor? entropies = null;
        if (entropy)
        {
            using var noGrad = no_grad();
            var detached = all.detach();
            entropies = -(detached.exp() * detached).sum(-1) * completionMask.to(ScalarType.Float32);  // (B, Tc)
        }
        RestrictedDistributions? distributions = null;
        if (restricted is not null && restricted.Any(r => r.Count > 0)) (logProbs, distributions) = Restrict(logProbs, predicting, completionIds, completionMask, restricted);
        logProbs = logProbs * completionMask.to(ScalarType.Float32);
        return new CompletionScores(logProbs.MoveToOuterDisposeScope(), completionMask.MoveToOuterDisposeScope(), entropies?.MoveToOuterDisposeScope())
        {
            Restricted = distributions?.MoveToOuterDisposeScope(),
        };
    }

    /// <summary>
    /// Replaces the log-probabilities at restricted positions with log-softmax over their allowed ids only. Only those
    /// M positions are gathered, as an (M, V) slice, so restriction costs nothing where it is not used. Also returns the
    /// whole restricted distribution at each of them (<see cref="RestrictedDistributions"/>; null when none lies in the batch).
    /// </summary>
    private static (Tensor LogProbs, RestrictedDistributions? Distributions) Restrict(Tensor logProbs, Tensor predicting, Tensor completionIds, Tensor completionMask,
        IReadOnlyList<IReadOnlyList<RestrictedSpan>> restricted)
    {
        var (batch, width, vocab) = (predicting.shape[0], predicting.shape[1], predicting.shape[2]);
        var rows = new List<long>();
        var cols = new List<long>();
        var allowed = new List<IReadOnlyList<int>>();
        var seen = new HashSet<(int, int)>();
        for (var b = 0; b < restricted.Count; b++)
            foreach (var span in restricted[b])
                for (var t = span.Start; t < span.Start + span.Length && t < width; t++)
                {
                    if (!seen.Add((b, t)))
                        throw new ArgumentException($"restricted spans of pair {b} overlap at position {t}", nameof(restricted));
                    rows.Add(b);
                    cols.Add(t);
                    allowed.Add(span.AllowedTokenIds);
                }
        if (rows.Count == 0) return (logProbs, null);
        var device = predicting.device;
        var disallowed = new bool[rows.Count * vocab];
        Array.Fill(disallowed, true);
        for (var m = 0; m < rows.Count; m++)
            foreach (var id in allowed[m])
            {
                if (id < 0 || id >= vocab) throw new EngineException($"scoring: allowed token id {id} is outside [0, {vocab})");
                disallowed[m * vocab + id] = false;
            }
        var rowIndex = tensor(rows.ToArray(), dtype: ScalarType.Int64, device: device);                  // (M)
        var colIndex = tensor(cols.ToArray(), dtype: ScalarType.Int64, device: device);                  // (M)
        var flat = rowIndex * width + colIndex;                                                           // (M)
        var chosenLogits = predicting.reshape(batch * width, vocab).index_select(0, flat);              // (M, V)
        var masked = chosenLogits.masked_fill(tensor(disallowed, [rows.Count, vocab]).to(device), double.NegativeInfinity);
        var tokens = completionIds.reshape(batch * width).index_select(0, flat).unsqueeze(-1);          // (M, 1)
        var restrictedLogProbs = masked.gather(-1, tokens).squeeze(-1) - masked.logsumexp(-1);          // (M)
        var isRestricted = zeros(batch * width, dtype: ScalarType.Float32, device: device).index_fill(0, flat, 1.0);  // (B·Tc)
        var placed = zeros(batch * width, dtype: ScalarType.Float32, device: device).index_add(0, flat, restrictedLogProbs, 1.0);

        // The whole restricted distribution at each position, over its allowed ids in their order (padded to the widest).
        var k = allowed.Max(a => a.Count);
        var columns = new long[rows.Count * k];
        var valid = new float[rows.Count * k];
        for (var m = 0; m < rows.Count; m++)
            for (var j = 0; j < allowed[m].Count; j++)
            {
                columns[m * k + j] = allowed[m][j];
                valid[m * k + j] = 1;
            }
        var validMask = tensor(valid, [rows.Count, k]).to(device);                                       // (M, K)
        var all = masked.log_softmax(-1).gather(-1, tensor(columns, [rows.Count, k]).to(device));       // (M, K)
        var distribution = all.masked_fill(validMask.eq(0), 0.0);                                      // (M, K)
        var live = completionMask.reshape(batch * width).index_select(0, flat).to(ScalarType.Float32); // (M)
        return ((logProbs.reshape(batch * width) * (1 - isRestricted) + placed).reshape(batch, width), new RestrictedDistributions(distribution, validMask, live));
    }

    /// <summary>The distinct prompts in first-seen order and, per pair, the index of its prompt among them.</summary>
    private static (List<IReadOnlyList<int>> Unique, long[] RowOf) DistinctPrompts(IReadOnlyList<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Completion)> pairs)
    {
        var unique = new List<IReadOnlyList<int>>();
        var seen = new Dictionary<IReadOnlyList<int>, int>(TokenSequenceComparer.Instance);
        var rowOf = new long[pairs.Count];
        for (var i = 0; i < pairs.Count; i++)
        {
            if (!seen.TryGetValue(pairs[i].Prompt, out var k))
            {
                k = unique.Count;
                seen[pairs[i].Prompt] = k;
                unique.Add(pairs[i].Prompt);
            }
            rowOf[i] = k;
        }
        return (unique, rowOf);
    }
}

/// <summary>Token sequences equal by content (the scorer's prompt sharing, and callers counting what it runs).</summary>
public sealed class TokenSequenceComparer : IEqualityComparer<IReadOnlyList<int>>
{
    public static readonly TokenSequenceComparer Instance = new();

    public bool Equals(IReadOnlyList<int>? x, IReadOnlyList<int>? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.SequenceEqual(y));

    public int GetHashCode(IReadOnlyList<int> ids)
    {
        var hash = new HashCode();
        hash.Add(ids.Count);
        foreach (var id in ids) hash.Add(id);
        return hash.ToHashCode();
    }
}
