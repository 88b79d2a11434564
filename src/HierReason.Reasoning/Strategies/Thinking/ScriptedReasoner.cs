using System.Globalization;
using System.IO.Hashing;
using System.Text;
using HierReason.Core;
using HierReason.Core.Answers;
using HierReason.Core.Taxonomies;
using HierReason.Core.Tasks;

namespace HierReason.Reasoning.Strategies.Thinking;

/// <summary>
/// The scripted chain_sum reasoner of <see cref="ScriptedTaxonomy"/> (the research note's known-optimum environment):
/// "Compute" applies the chain's next operation to the running value, "Check" recomputes the running value from the
/// operations applied so far (repairing a guess), "Guess" replaces it by a number drawn from the item and step, and the
/// final answer is the running value. Each thought ends with the operations still to apply ("Left: + 7 - 2" or "Left:
/// none"), so a chooser can see when to finish. The optimum is Compute for every operation, then Finish: accuracy 100 %.
/// Deterministic: the same history gives the same thought.
/// </summary>
public sealed class ScriptedReasoner : IReasoner
{
    public const int TokensPerReply = 8;

    public Task<IReadOnlyList<ReasonerReply>> WriteAsync(IReadOnlyList<ThoughtRequest> requests, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<ReasonerReply>>(requests.Select(r => new ReasonerReply(Write(r), TokensPerReply)).ToArray());
    }

    /// <summary>Checks that every thought type of <paramref name="level"/> is one this reasoner knows.</summary>
    public static void CheckLevel(Taxonomy taxonomy, int level)
    {
        foreach (var type in taxonomy.Level(level))
            if (type.Id is not (ScriptedTaxonomy.Compute or ScriptedTaxonomy.Check or ScriptedTaxonomy.Guess))
                throw new HierReasonException($"the scripted reasoner knows the thought types {ScriptedTaxonomy.Compute}, {ScriptedTaxonomy.Check} and {ScriptedTaxonomy.Guess} (taxonomy \"scripted\"); '{taxonomy.Name}' level {level} has '{type.Id}'");
    }

    public static string Write(ThoughtRequest request)
    {
        var chain = Chain.Of(request.Item);
        var state = Replay(chain, request.Item, request.History);
        if (request.Type is not { } type) return AnswerExtractor.Open + Format(state.Value) + AnswerExtractor.Close;
        var next = Step(chain, request.Item, state, type.Id, request.History.Count);
        var text = type.Id switch
        {
            ScriptedTaxonomy.Compute when state.Applied == chain.Operations => $"Nothing left to apply: {Format(state.Value)}.",
            ScriptedTaxonomy.Compute => $"{Format(state.Value)} {chain.Ops[state.Applied]} {Format(chain.Terms[state.Applied + 1])} = {Format(next.Value)}.",
            ScriptedTaxonomy.Check => $"Check: {chain.Prefix(state.Applied)} = {Format(next.Value)}.",
            _ => $"Guess: {Format(next.Value)}.",
        };
        return text + " Left: " + chain.Left(next.Applied);
    }

    private readonly record struct State(long Value, int Applied);

    private static State Replay(Chain chain, TaskItem item, IReadOnlyList<Thought> history)
    {
        var state = new State(chain.Terms[0], 0);
        for (var i = 0; i < history.Count; i++) state = Step(chain, item, state, history[i].TypeId, i);
        return state;
    }

    private static State Step(Chain chain, TaskItem item, State state, string type, int step) => type switch
    {
        ScriptedTaxonomy.Compute when state.Applied < chain.Operations =>
            new State(chain.Apply(state.Value, state.Applied), state.Applied + 1),
        ScriptedTaxonomy.Compute => state,
        ScriptedTaxonomy.Check => state with { Value = chain.Partial(state.Applied) },
        ScriptedTaxonomy.Guess => state with { Value = GuessFor(item, step) },
        _ => throw new HierReasonException($"the scripted reasoner has no thought type '{type}'"),
    };

    /// <summary>A number in [−99, 99] fixed by the item and the step (never the running value's source).</summary>
    private static long GuessFor(TaskItem item, int step)
    {
        var hash = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes($"{item.Id}#{step}"));
        return (long)(hash % 199) - 99;
    }

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A chain_sum item's terms and operators, from its metadata.</summary>
    private sealed record Chain(long[] Terms, string[] Ops)
    {
        public int Operations => Ops.Length;

        public static Chain Of(TaskItem item)
        {
            if (item.Metadata is not ChainSumMetadata meta)
                throw new HierReasonException($"the scripted reasoner works on chain_sum items only; item '{item.Id}' is {item.Metadata.GetType().Name}");
            var tokens = meta.Expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var terms = tokens.Where((_, i) => i % 2 == 0).Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            return new Chain(terms, tokens.Where((_, i) => i % 2 == 1).ToArray());
        }

        public long Apply(long value, int op) => Ops[op] == "-" ? value - Terms[op + 1] : value + Terms[op + 1];

        /// <summary>The exact running value after <paramref name="applied"/> operations.</summary>
        public long Partial(int applied)
        {
            var value = Terms[0];
            for (var i = 0; i < applied; i++) value = Apply(value, i);
            return value;
        }

        /// <summary>The chain's first <paramref name="applied"/> operations as written ("3 + 5 - 2").</summary>
        public string Prefix(int applied) =>
            string.Join(' ', new[] { Format(Terms[0]) }.Concat(Enumerable.Range(0, applied).Select(i => $"{Ops[i]} {Format(Terms[i + 1])}")));

        /// <summary>The operations still to apply after <paramref name="applied"/> ("+ 7 - 2"), or "none".</summary>
        public string Left(int applied) => applied >= Ops.Length
            ? "none"
            : string.Join(' ', Enumerable.Range(applied, Ops.Length - applied).Select(i => $"{Ops[i]} {Format(Terms[i + 1])}"));
    }
}
