using HierReason.Core.Episodes;
using HierReason.Engine.Chat;
using HierReason.Engine.Generation;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;

namespace HierReason.Training.Rollouts;

/// <summary>
/// The local TorchSharp model as an episode policy, on token ids: GRPO's rollouts and the benchmark's local jobs both
/// write their turns here. Each call is one <see cref="TokenGenerator"/> batch: every episode's ids are prefilled once
/// and sampled <c>samples</c> times; per-episode budgets, end-after strings, stop strings and allowed token sets are
/// honoured row by row. The context length caps every budget.
/// </summary>
public sealed class LocalPolicy : IEpisodePolicy
{
    private readonly CausalLM _model;
    private readonly ITokenizer _tokenizer;
    private readonly ChatTemplate? _template;
    private readonly PolicySampling _sampling;
    private readonly HashSet<int> _stopIds;
    private readonly IReadOnlyList<int> _stopIdList;
    private GenerationWork _work = GenerationWork.None;

    /// <param name="template">Renders the prompt as a chat's user turn; null completes the message as plain text (with the model's begin-of-sequence token).</param>
    /// <param name="stopIds">Ids that end a turn (kept as its last token); default: the template's end-of-turn ids and the tokenizer's end-of-sequence ids.</param>
    public LocalPolicy(CausalLM model, ITokenizer tokenizer, ChatTemplate? template, PolicySampling sampling, IReadOnlyList<int>? stopIds = null)
    {
        _model = model;
        _tokenizer = tokenizer;
        _template = template;
        _sampling = sampling;
        _stopIdList = stopIds ?? (template?.StopIds(tokenizer) ?? tokenizer.EosIds).Distinct().ToArray();
        _stopIds = _stopIdList.ToHashSet();
    }

    public bool UsesTokens => true;

    /// <summary>What this policy's generations computed since the last call (prefill, decode row-steps alive and not, FLOPs), and starts counting anew.</summary>
    public GenerationWork TakeWork()
    {
        var work = _work;
        _work = GenerationWork.None;
        return work;
    }

    public IReadOnlyList<int> StopIds => _stopIdList;

    public Segment Prompt(string message)
    {
        if (_template is null) return new Segment(Actor.Prompt, message, _tokenizer.Encode(message, addSpecial: true));
        var text = _template.Render([ChatMessage.User(message)], addGenerationPrompt: true);
        return new Segment(Actor.Prompt, text, _tokenizer.Encode(text));
    }

    public IReadOnlyList<int>? Encode(string text) => _tokenizer.Encode(text);

    public Task<IReadOnlyList<PolicyTurn>> WriteAsync(
        IReadOnlyList<Episode> episodes, int samples, IReadOnlyList<TurnSpec> turns, IReadOnlyList<int> budgets, long? seed, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(episodes, samples, turns, budgets, seed));
    }

    /// <summary>The synchronous body of <see cref="WriteAsync"/> (the trainer's thread runs it directly).</summary>
    public IReadOnlyList<PolicyTurn> Write(IReadOnlyList<Episode> episodes, int samples, IReadOnlyList<TurnSpec> turns, IReadOnlyList<int> budgets, long? seed)
    {
        if (turns.Count != episodes.Count || budgets.Count != episodes.Count) throw new ArgumentException("one turn spec and one budget per episode");
        var results = new PolicyTurn[episodes.Count * samples];
        var contexts = episodes.Select(e => e.TokenIds).ToArray();
        var context = _model.Config.MaxPositionEmbeddings;
        var caps = episodes.Select((_, i) => Math.Max(0, Math.Min(budgets[i], context - contexts[i].Count))).ToArray();
        var live = Enumerable.Range(0, episodes.Count).Where(i => caps[i] > 0).ToArray();
        // The batch is padded to its longest context, so no row may generate past the room that one leaves (≥ 1: it is live).
        if (live.Length > 0)
        {
            var room = context - live.Max(i => contexts[i].Count);
            foreach (var i in live) caps[i] = Math.Min(caps[i], room);
        }
        // No room left: an empty turn that ran out of tokens.
        foreach (var i in Enumerable.Range(0, episodes.Count).Except(live))
            for (var s = 0; s < samples; s++) results[i * samples + s] = new PolicyTurn("", [], TurnEnd.Length, 0, []);
        if (live.Length == 0) return results;

        var maxNew = live.Max(i => caps[i]);
        var watched = live.Any(i => turns[i].EndAfter.Count > 0) || _sampling.Stop.Count > 0;
        var texts = watched
            ? live.SelectMany(i => Enumerable.Range(0, samples).Select(_ => new TurnText(_tokenizer, turns[i].EndAfter, _sampling.Stop))).ToArray()
            : null;
        // Rows ask after each token only when something must be watched: the fast path is one plain batch.
        Func<int, IReadOnlyList<int>, bool>? stop = watched || live.Any(i => caps[i] < maxNew)
            ? (row, ids) => (texts?[row].Push(ids[^1]) ?? false) || ids.Count >= caps[live[row / samples]]
            : null;
        var allowed = live.Any(i => turns[i].AllowedTokenIds is not null) ? live.Select(i => turns[i].AllowedTokenIds).ToArray() : null;
        var options = new GenerationOptions
        {
            MaxNewTokens = maxNew,
            Temperature = _sampling.Temperature,
            TopP = _sampling.TopP,
            TopK = _sampling.TopK,
            NumSamples = samples,
            Seed = seed,
            EosTokenIds = _stopIdList,
            PadTokenId = _tokenizer.PadId,
            CompactBelow = _sampling.CompactBelow,
            SharePromptPrefix = _sampling.SharePromptPrefix,
        };
        var generator = new TokenGenerator(_model);
        var sequences = generator.Generate(live.Select(i => contexts[i]).ToArray(), options, stop, allowed);
        _work = _work.Add(generator.LastWork);
        foreach (var seq in sequences)
        {
            var row = seq.PromptIndex * samples + seq.SampleIndex;
            var episode = live[seq.PromptIndex];
            var ids = seq.TokenIds;
            var eos = ids.Count > 0 && _stopIds.Contains(ids[^1]);
            var text = texts?[row];
            var end = eos ? TurnEnd.EndOfSequence
                : text?.EndedAfter == true ? TurnEnd.EndAfter
                : text?.Stopped == true ? TurnEnd.StopString
                : TurnEnd.Length;
            var words = text?.Finish() ?? _tokenizer.Decode(eos ? ids.Take(ids.Count - 1).ToArray() : ids);
            results[episode * samples + seq.SampleIndex] = new PolicyTurn(words, ids, end, ids.Count, seq.LogProbs, seq.ElapsedMs);
        }
        return results;
    }
}
