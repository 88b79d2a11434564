using HierReason.Engine.Models;
using HierReason.Engine.Perf;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Generation;

/// <summary>
/// Samples completions for token-id prompts with a KV cache: prompts are left-padded and prefilled once (their common
/// start once for all, <see cref="PromptPrefill"/>), the cache is expanded to <see cref="GenerationOptions.NumSamples"/> rows per prompt, then one token is decoded per step. Rows whose
/// completion has ended leave the batch and the cache in bulk (<see cref="GenerationOptions.CompactBelow"/>), so a batch
/// of very different lengths does not decode its short rows until the longest ends.
/// </summary>
public sealed class TokenGenerator(CausalLM model)
{
    /// <summary>Decode steps the KV cache and the attention mask have room for before they first grow (then they double).</summary>
    private const int InitialSteps = 256;

    /// <summary>What the last <see cref="Generate"/> call computed (nothing before the first call).</summary>
    public GenerationWork LastWork { get; private set; } = GenerationWork.None;

    /// <summary>
    /// Completions in prompt-major order (prompt 0's samples, then prompt 1's, …). <paramref name="stop"/> is asked after
    /// every token with (sequence index in that order, its generated ids so far); true ends that sequence as <see cref="FinishReason.Stop"/>.
    /// <paramref name="allowedTokenIds"/>, when given, restricts each prompt's completions to its set of ids (null = any):
    /// every other logit is −∞ before sampling, so the returned log-probabilities are those of the restricted softmax —
    /// what <see cref="CompletionScorer"/> computes for a <see cref="RestrictedSpan"/>.
    /// </summary>
    public IReadOnlyList<GeneratedSequence> Generate(
        IReadOnlyList<IReadOnlyList<int>> prompts,
        GenerationOptions options,
        Func<int, IReadOnlyList<int>, bool>? stop = null,
        IReadOnlyList<IReadOnlyList<int>?>? allowedTokenIds = null)
    {
        options.Validate();
        LastWork = GenerationWork.None;
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p.Count == 0)) throw new EngineException("generation: every prompt needs at least one token");
        var vocab = model.Config.VocabSize;
        if (prompts.SelectMany(p => p).Any(id => id < 0 || id >= vocab))
            throw new EngineException($"generation: prompt token ids must lie in [0, {vocab})");
        var longest = prompts.Max(p => p.Count);
        if (allowedTokenIds is not null)
        {
            if (allowedTokenIds.Count != prompts.Count) throw new ArgumentException("one allowed set (or null) per prompt", nameof(allowedTokenIds));
            if (allowedTokenIds.Any(a => a is { Count: 0 } || (a is not null && a.Any(id => id < 0 || id >= vocab))))
                throw new EngineException($"generation: an allowed token set must be non-empty with ids in [0, {vocab})");
        }
        if (longest + options.MaxNewTokens > model.Config.MaxPositionEmbeddings)
            throw new EngineException($"generation: prompt of {longest} tokens + max_new_tokens {options.MaxNewTokens} exceeds max_position_embeddings {model.Config.MaxPositionEmbeddings}");

        using var noGrad = no_grad();
        // Rollouts sample from the deterministic network: LoRA dropout is for training steps only.
        var wasTraining = model.training;
        model.eval();
        try { return Decode(prompts, options, stop, longest, allowedTokenIds); }
        finally { if (wasTraining) model.train(); }
    }

    private IReadOnlyList<GeneratedSequence> Decode(
        IReadOnlyList<IReadOnlyList<int>> prompts,
        GenerationOptions options,
        Func<int, IReadOnlyList<int>, bool>? stop,
        int longest,
        IReadOnlyList<IReadOnlyList<int>?>? allowedTokenIds)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var eos = (options.EosTokenIds.Count > 0 ? options.EosTokenIds : model.Config.EosTokenIds).ToHashSet();
        var n = options.NumSamples;
        var rows = prompts.Count * n;
        var device = model.Device;
        var shape = DecoderShape.Of(model.Config);
        using var generator = options.Seed is { } seed ? new Generator((ulong)seed, device) : null;
        // The cache and the mask start with room for a few steps and double when full: sized for max_new_tokens up front,
        // a chat request defaulting to "the rest of a million-position context" would allocate gigabytes before its first token.
        var firstSteps = Math.Min(options.MaxNewTokens, InitialSteps);
        KvCache cache;
        Tensor nextLogits;                                                                            // (M, V) float32
        Tensor mask;                                                                                  // (M, P + generated capacity)
        using (var scope = NewDisposeScope())
        {
            // The prompts' shared start (chat header, instruction) runs once; each row's cache columns hold exactly its own prompt.
            (cache, var logits, var promptMask) = PromptPrefill.Run(model, prompts, options.PadTokenId, firstSteps, options.SharePromptPrefix);  // (B, 1, V), (B, P)
            nextLogits = logits.squeeze(1).to(ScalarType.Float32).repeat_interleave(n, dim: 0).DetachFromDisposeScope();
            cache.Expand(n);
            var generatedMask = ones(rows, firstSteps, dtype: ScalarType.Int64, device: device);
            mask = cat([promptMask.repeat_interleave(n, dim: 0), generatedMask], dim: 1).DetachFromDisposeScope();
        }
        using var _ = cache;
        var (prefillPositions, flops) = PromptPrefill.Work(shape, prompts, options.SharePromptPrefix);
        long rowSteps = 0, aliveRowSteps = 0;

        var disallowed = Disallowed(allowedTokenIds, n, model.Config.VocabSize, device);                        // (M, V) bool, or null
        // live[j]: the sequence (prompt-major index) in batch row j. Rows of finished sequences stay until compaction drops them.
        var live = Enumerable.Range(0, rows).ToArray();
        var nextPosition = Enumerable.Range(0, rows).Select(r => (long)prompts[r / n].Count).ToArray();
        var tokens = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToArray();
        var logProbs = Enumerable.Range(0, rows).Select(_ => new List<float>()).ToArray();
        var finish = new FinishReason?[rows];
        var finishedAt = new double[rows];
        try
        {
            for (var step = 0; step < options.MaxNewTokens; step++)
            {
                using var scope = NewDisposeScope();
                var logitsForSampling = disallowed is null ? nextLogits : nextLogits.masked_fill(disallowed, double.NegativeInfinity);
                var (sampled, sampledLogProbs) = TokenSampler.Sample(logitsForSampling, options, generator);
                var ids = sampled.cpu().data<long>().ToArray();
                var lps = sampledLogProbs.cpu().data<float>().ToArray();
                var sampledAt = clock.Elapsed.TotalMilliseconds;   // this step's tokens exist now (the copy to the CPU waited for them)
                rowSteps += live.Length;
                var alive = 0;
                for (var j = 0; j < live.Length; j++)
                {
                    var r = live[j];
                    if (finish[r] is not null) continue;
                    var id = (int)ids[j];
                    tokens[r].Add(id);
                    logProbs[r].Add(lps[j]);
                    aliveRowSteps++;
                    if (eos.Contains(id) || (stop?.Invoke(r, tokens[r]) ?? false)) finish[r] = FinishReason.Stop;
                    else if (tokens[r].Count == options.MaxNewTokens) finish[r] = FinishReason.Length;
                    else alive++;
                    finishedAt[r] = sampledAt;
                }
                if (alive == 0) break;

                if (alive < options.CompactBelow * live.Length)
                {
                    // Drop finished rows from the batch, the cache and the mask: every later step costs only the rows still writing.
                    var keep = Enumerable.Range(0, live.Length).Where(j => finish[live[j]] is null).ToArray();
                    var index = tensor(keep.Select(j => (long)j).ToArray(), dtype: ScalarType.Int64, device: device);   // (M')
                    cache.Select(index);
                    mask = Replace(mask, mask.index_select(0, index));
                    if (disallowed is not null) disallowed = Replace(disallowed, disallowed.index_select(0, index));
                    ids = keep.Select(j => ids[j]).ToArray();
                    live = keep.Select(j => live[j]).ToArray();
                }

                // Finished rows not yet compacted away keep decoding their last token; their outputs are discarded and no row sees another.
                var m = live.Length;
                var input = tensor(ids, [m, 1], dtype: ScalarType.Int64, device: device);                               // (M, 1)
                var positions = tensor(live.Select(r => nextPosition[r]).ToArray(), [m, 1], dtype: ScalarType.Int64, device: device);  // (M, 1)
                if (cache.Length + 1 > mask.shape[1])
                {
                    var more = Math.Min(mask.shape[1], longest + options.MaxNewTokens - mask.shape[1]);
                    mask = Replace(mask, cat([mask, ones(m, more, dtype: ScalarType.Int64, device: device)], dim: 1));
                }
                var visible = mask.narrow(1, 0, cache.Length + 1);                                        // (M, S)
                var logits = model.Forward(input, positions, cache, visible, lastPositionOnly: true);     // (M, 1, V)
                flops += DecoderCost.ForwardFlops(shape, m, (double)m * cache.Length, m);
                nextLogits.Dispose();
                nextLogits = logits.squeeze(1).to(ScalarType.Float32).DetachFromDisposeScope();
                foreach (var r in live) nextPosition[r]++;
            }
        }
        finally
        {
            nextLogits.Dispose();
            mask.Dispose();
            disallowed?.Dispose();
        }

        LastWork = new GenerationWork(prefillPositions, rowSteps, aliveRowSteps, flops);
        return Enumerable.Range(0, rows)
            .Select(r => new GeneratedSequence(r / n, r % n, tokens[r], logProbs[r], finish[r] ?? FinishReason.Length, finishedAt[r]))
            .ToArray();
    }

    private static Tensor Replace(Tensor old, Tensor replacement)
    {
        replacement.DetachFromDisposeScope();
        old.Dispose();
        return replacement;
    }

    /// <summary>True where a row may not sample a token (its prompt's allowed set excludes it); null when nothing is restricted.</summary>
    private static Tensor? Disallowed(IReadOnlyList<IReadOnlyList<int>?>? allowed, int samples, int vocab, Device device)
    {
        if (allowed is null || allowed.All(a => a is null)) return null;
        var data = new bool[allowed.Count * samples * vocab];
        for (var p = 0; p < allowed.Count; p++)
            for (var s = 0; s < samples; s++)
            {
                var row = (p * samples + s) * vocab;
                if (allowed[p] is not { } ids) continue;
                Array.Fill(data, true, row, vocab);
                foreach (var id in ids) data[row + id] = false;
            }
        return tensor(data, [allowed.Count * samples, vocab]).to(device);
    }
}
