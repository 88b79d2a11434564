using HierReason.Backends;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Engine.Tokenizers;

namespace HierReason.Reasoning.Tests.Strategies.Search;

/// <summary>Items of one real multi_hop_lookup world (test split, world seed 0) and the scripted actors the search tests drive.</summary>
internal static class SearchFixtures
{
    public static IReasoningTask Task { get; } = TaskRegistry.Default.Get("multi_hop_lookup");

    /// <summary>Item <paramref name="index"/> of the 2-hop bridge level.</summary>
    public static TaskItem Item(int index, int level = 1) => Task.Generate(Task.Levels[level], Split.Test, 0, index, level);

    public static MultiHopLookupMetadata Meta(TaskItem item) => (MultiHopLookupMetadata)item.Metadata;

    /// <summary>
    /// A thinker that searches the item's gold queries in order, then answers with the gold answer only when the last
    /// <c>&lt;information&gt;</c> it read names it (else "unknown"): its score measures what the environment gave it.
    /// </summary>
    public static string GoldQueryThinker(Episode e)
    {
        var meta = Meta(e.Item!);
        var searched = e.PolicyTurns;
        if (searched < meta.Hops.Count) return $"<think>I need hop {searched + 1}.</think><search>{meta.Hops[searched].Query}</search>";
        var last = e.Segments[^1].Text;
        return $"<answer>{(last.Contains(e.Item!.Answer, StringComparison.Ordinal) ? e.Item.Answer : "unknown")}</answer>";
    }
}

/// <summary>A token policy (byte tokenizer) that writes a scripted turn per episode, as the trained thinker would.</summary>
internal sealed class ScriptedThinker(Func<Episode, string> turn) : IEpisodePolicy
{
    private static readonly ByteTokenizer Tokenizer = new();

    public bool UsesTokens => true;

    public Segment Prompt(string message) => new(Actor.Prompt, message, Tokenizer.Encode(message));

    public IReadOnlyList<int>? Encode(string text) => Tokenizer.Encode(text);

    public Task<IReadOnlyList<PolicyTurn>> WriteAsync(IReadOnlyList<Episode> episodes, int samples, IReadOnlyList<TurnSpec> turns, IReadOnlyList<int> budgets,
        long? seed, CancellationToken cancellationToken) =>
        System.Threading.Tasks.Task.FromResult<IReadOnlyList<PolicyTurn>>(episodes.SelectMany(e => Enumerable.Repeat(Turn(turn(e)), samples)).ToArray());

    private static PolicyTurn Turn(string text)
    {
        var ids = Tokenizer.Encode(text);
        return new PolicyTurn(text, ids, TurnEnd.EndAfter, ids.Length);
    }
}

/// <summary>The frozen searcher's stand-in: replies to each conversation with a scripted text and records every batched call.</summary>
internal sealed class ScriptedSearcherModel(Func<IReadOnlyList<Message>, string> reply) : IModelBackend
{
    public const int TokensPerReply = 5;

    /// <summary>The conversations of each call, in order.</summary>
    public List<IReadOnlyList<Message>[]> Calls { get; } = [];

    public string Name => "scripted-searcher";

    public BackendCapabilities Capabilities => new(false, false, null);

    public Task<IReadOnlyList<IReadOnlyList<Completion>>> ChatAsync(IReadOnlyList<IReadOnlyList<Message>> conversations, SamplingSettings settings, CancellationToken cancellationToken = default)
    {
        Calls.Add(conversations.ToArray());
        return System.Threading.Tasks.Task.FromResult<IReadOnlyList<IReadOnlyList<Completion>>>(
            conversations.Select(c => (IReadOnlyList<Completion>)[new Completion(reply(c), "stop", 10, TokensPerReply)]).ToArray());
    }

    public Task<IReadOnlyList<IReadOnlyList<Completion>>> CompleteAsync(IReadOnlyList<string> prompts, SamplingSettings settings, CancellationToken cancellationToken = default)
        => throw new InvalidOperationException("the searcher is asked through chat");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
