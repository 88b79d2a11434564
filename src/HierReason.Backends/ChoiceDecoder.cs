using HierReason.Engine.Generation;
using HierReason.Engine.Inference;
using static TorchSharp.torch;

namespace HierReason.Backends;

/// <summary>
/// Constrained choice on the local engine, without free generation: every candidate reply (<see cref="ChoiceConstraint.Reply"/>
/// followed by the model's end token) is scored as a continuation of each prompt with <see cref="CompletionScorer"/>, and
/// a candidate is picked from the totals — the likeliest at temperature 0 (ties: the first), otherwise a draw from
/// softmax(log p / T) with the request's seed. Used by <see cref="LocalModelBackend"/> and by <c>hierreason serve</c>.
/// </summary>
public static class ChoiceDecoder
{
    // Logits are (rows, width, vocab) float32 in one scoring pass: rows are cut so one pass stays near 256 MiB.
    private const long FloatsPerPass = 1L << 26;

    /// <summary>
    /// The token that ends a candidate reply: for chat, the chat template's end-of-turn token (the first of
    /// <see cref="LocalModel.StopIds"/>); for a raw prompt, the tokenizer's end-of-sequence token. Null when the model has none.
    /// </summary>
    public static int? EndTokenId(LocalModel model, bool chat) =>
        !chat && model.Tokenizer.EosIds.Count > 0 ? model.Tokenizer.EosIds[0]
        : model.StopIds.Count > 0 ? model.StopIds[0] : null;

    /// <summary>Each candidate reply's token ids, in the order of <see cref="ChoiceConstraint.Values"/>, end token included.</summary>
    public static IReadOnlyList<int[]> Candidates(LocalModel model, ChoiceConstraint choice, bool chat)
    {
        var end = EndTokenId(model, chat);
        return choice.Values.Select(v =>
        {
            var ids = model.Tokenizer.Encode(choice.Reply(v), addSpecial: false);
            return end is { } e ? [.. ids, e] : ids;
        }).ToArray();
    }

    /// <summary>
    /// The per-token log-probabilities (temperature 1) of each (prompt, candidate) pair, in as few forward passes as memory
    /// allows; pairs that share a prompt run it once (<see cref="CompletionScorer"/> shares the prefix).
    /// </summary>
    public static float[][] Score(LocalModel model, IReadOnlyList<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Completion)> pairs)
    {
        var results = new float[pairs.Count][];
        if (pairs.Count == 0) return results;
        var width = pairs.Max(p => p.Completion.Count) + 1L;
        var perPass = (int)Math.Clamp(FloatsPerPass / (width * model.Model.Config.VocabSize), 1, pairs.Count);
        using var noGrad = no_grad();
        for (var start = 0; start < pairs.Count; start += perPass)
        {
            var chunk = pairs.Skip(start).Take(perPass).ToArray();
            using var scores = CompletionScorer.Score(model.Model, chunk, temperature: 1.0, padTokenId: model.Tokenizer.PadId);
            using var logProbs = scores.LogProbs.cpu();
            var flat = logProbs.data<float>().ToArray();
            var columns = (int)logProbs.shape[1];
            for (var k = 0; k < chunk.Length; k++)
                results[start + k] = flat.AsSpan(k * columns, chunk[k].Completion.Count).ToArray();
        }
        return results;
    }

    /// <summary>The index of the chosen candidate: the first likeliest at temperature 0, else a draw from softmax(total / T).</summary>
    public static int Pick(IReadOnlyList<double> totals, double temperature, Random random)
    {
        var best = 0;
        for (var i = 1; i < totals.Count; i++)
            if (totals[i] > totals[best]) best = i;
        if (temperature <= 0) return best;
        var weights = totals.Select(t => Math.Exp((t - totals[best]) / temperature)).ToArray();
        var u = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0) return i;
        }
        return weights.Length - 1;
    }

    /// <summary>The random source for a request's draws: reproducible for a seed, fresh without one.</summary>
    public static Random Sampler(long? seed) => seed is { } s ? new Random(unchecked((int)(s ^ (s >> 32)))) : new Random();

    /// <summary>
    /// For each prompt, <paramref name="n"/> choices as completions: the chosen candidate's JSON text, its token ids and
    /// log-probabilities, finish reason "stop". With <paramref name="fitContext"/>, a prompt that leaves no room for the
    /// longest candidate gets n empty completions ending in "length"; without it, that is an error.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<TextCompletion>> Choose(
        LocalModel model, IReadOnlyList<IReadOnlyList<int>> prompts, ChoiceConstraint choice, bool chat, int n, double temperature, long? seed, bool fitContext)
    {
        choice.Validated();
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 1");
        var candidates = Candidates(model, choice, chat);
        var context = model.Info.MaxContext;
        var longest = candidates.Max(c => c.Length);
        var fits = Enumerable.Range(0, prompts.Count).Where(i => prompts[i].Count + longest <= context).ToArray();
        if (!fitContext && fits.Length < prompts.Count)
        {
            var over = prompts.First(p => p.Count + longest > context);
            throw new Engine.EngineException($"choice: the prompt ({over.Count} tokens) and the longest reply ({longest} tokens) exceed the model's context of {context}");
        }
        var results = prompts.Select(p => (IReadOnlyList<TextCompletion>)Enumerable.Repeat(new TextCompletion("", [], [], TextCompletion.Length, p.Count), n).ToArray()).ToArray();
        var pairs = fits.SelectMany(i => candidates.Select(c => (prompts[i], (IReadOnlyList<int>)c))).ToArray();
        var scores = Score(model, pairs);
        var random = Sampler(seed);
        for (var k = 0; k < fits.Length; k++)
        {
            var own = scores.AsSpan(k * candidates.Count, candidates.Count).ToArray();
            var totals = own.Select(s => s.Sum(x => (double)x)).ToArray();
            results[fits[k]] = Enumerable.Range(0, n).Select(_ =>
            {
                var c = Pick(totals, temperature, random);
                return new TextCompletion(choice.Reply(choice.Values[c]), candidates[c], own[c], TextCompletion.Stopped, prompts[fits[k]].Count);
            }).ToArray();
        }
        return results;
    }
}
