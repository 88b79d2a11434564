using System.Text;
using HierReason.Core;
using HierReason.Core.Prompts;
using HierReason.Core.Tasks;
using HierReason.Retrieval.Corpus;
using HierReason.Retrieval.Index;

namespace HierReason.Retrieval.Context;

/// <summary>
/// Measures a <see cref="SearchContextReport"/>: per level, <c>n</c> items' vanilla prompts, then their gold traces with
/// each hop's <c>&lt;information&gt;</c> holding either the top-k BM25 passages for the hop's gold query (flat) or just
/// the sentence of the hop's document that names its subject and object (summary). Lengths are UTF-8 bytes: the tiny
/// model's byte tokenizer gives one token per byte.
/// </summary>
public static class SearchContextMeasurement
{
    public const string Tokens = "UTF-8 bytes (the tiny byte tokenizer: 1 token per byte)";

    public static SearchContextReport Run(MultiHopLookupTask task, Split split, int n, int k, int positions, long seed = 0)
    {
        if (n < 1) throw new HierReasonException($"--n: expected a positive integer; found {n}");
        if (k < 1) throw new HierReasonException($"--k: expected a positive integer; found {k}");
        if (positions < 1) throw new HierReasonException($"--positions: expected a positive integer; found {positions}");
        var indexes = new Dictionary<string, Bm25Index>(StringComparer.Ordinal);
        try
        {
            var levels = new List<SearchContextLevel>();
            for (var level = 0; level < task.Levels.Count; level++)
            {
                var config = (MultiHopLookupConfig)task.Levels[level];
                var prompts = new List<int>();
                var flat = new SortedDictionary<int, List<int>>();
                var summary = new SortedDictionary<int, List<int>>();
                foreach (var item in TaskDataset.Create(task, split, seed, n, level: level))
                {
                    var meta = (MultiHopLookupMetadata)item.Metadata;
                    if (!indexes.TryGetValue(meta.WorldId, out var index))
                        indexes[meta.WorldId] = index = Bm25Index.InMemory(TaskCorpus.Of(meta.World));
                    var world = task.World(meta.World);
                    var prompt = Bytes(TaskPrompt.For(item.Question));
                    prompts.Add(prompt);
                    var (hopLines, closing) = Split(item.Solution, meta.Hops.Count, item.Id);
                    var (flatLength, summaryLength) = (prompt, prompt);
                    for (var h = 0; h < meta.Hops.Count; h++)
                    {
                        var hop = meta.Hops[h];
                        var (search, fact) = hopLines[h];
                        var passages = SearchR1Format.Passages(index.Search(hop.Query, k));
                        flatLength += Bytes(search) + Bytes(Information(passages)) + Bytes(fact);
                        summaryLength += Bytes(search) + Bytes(Information(Sentence(world, hop))) + Bytes(fact);
                        Add(flat, h + 1, flatLength);
                        Add(summary, h + 1, summaryLength);
                    }
                    Add(flat, 0, flatLength + Bytes(closing));
                    Add(summary, 0, summaryLength + Bytes(closing));
                }
                // The answer row (hop 0) comes last.
                var steps = flat.Keys.Where(h => h > 0).Append(0)
                    .Select(h => new SearchContextStep(h, flat[h].Count, LengthStats.Of(flat[h], positions), LengthStats.Of(summary[h], positions)))
                    .ToArray();
                levels.Add(new SearchContextLevel(level, config.Hops, config.Comparison, prompts.Count, LengthStats.Of(prompts, positions), steps));
            }
            return new SearchContextReport(task.Name, split.Name(), n, k, positions, Tokens, levels);
        }
        finally
        {
            foreach (var index in indexes.Values) index.Dispose();
        }
    }

    /// <summary>
    /// The sentence of the hop's document that names both its subject and its object (what a searcher's summary would
    /// say); the first sentence naming the object when none names both.
    /// </summary>
    public static string Sentence(MultiHopWorld world, LookupHop hop)
    {
        var document = world.DocumentById(hop.DocId) ?? throw new InvalidOperationException($"hop document {hop.DocId} is not in world {world.Spec.Id}");
        var sentences = Sentences(document.Contents);
        return sentences.FirstOrDefault(s => s.Contains(hop.Subject, StringComparison.Ordinal) && s.Contains(hop.Object, StringComparison.Ordinal))
            ?? sentences.FirstOrDefault(s => s.Contains(hop.Object, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"document {hop.DocId} does not name {hop.Object}");
    }

    /// <summary>The document's sentences: its text split after each '.' that a space or the end follows.</summary>
    internal static IReadOnlyList<string> Sentences(string text)
    {
        var sentences = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '.' && (i + 1 == text.Length || text[i + 1] == ' '))
            {
                sentences.Add(text[start..(i + 1)].Trim());
                start = i + 1;
            }
        if (start < text.Length && text[start..].Trim() is { Length: > 0 } rest) sentences.Add(rest);
        return sentences;
    }

    private static string Information(string text) => "<information>" + text + "</information>\n";

    /// <summary>
    /// The gold trace's lines per hop (the search line and the fact line, around the information line this measurement
    /// replaces) and everything after the last hop; the trace is three lines a hop, as <see cref="MultiHopLookupTask"/> writes it.
    /// </summary>
    private static ((string Search, string Fact)[] Hops, string Closing) Split(string solution, int hops, string itemId)
    {
        var lines = solution.Split('\n');
        if (lines.Length < 3 * hops + 1)
            throw new InvalidOperationException($"item {itemId}: the gold trace has {lines.Length} lines, fewer than 3 per hop");
        var pairs = new (string, string)[hops];
        for (var h = 0; h < hops; h++)
        {
            var (search, information, fact) = (lines[3 * h], lines[3 * h + 1], lines[3 * h + 2]);
            if (!search.StartsWith("<search>", StringComparison.Ordinal) || !information.StartsWith("<information>", StringComparison.Ordinal))
                throw new InvalidOperationException($"item {itemId}: hop {h + 1} of the gold trace is not a search then an information line");
            pairs[h] = (search + "\n", fact + "\n");
        }
        return (pairs, string.Join('\n', lines.Skip(3 * hops)));
    }

    private static int Bytes(string text) => Encoding.UTF8.GetByteCount(text);

    private static void Add(SortedDictionary<int, List<int>> lengths, int hop, int length)
    {
        if (!lengths.TryGetValue(hop, out var list)) lengths[hop] = list = [];
        list.Add(length);
    }
}
