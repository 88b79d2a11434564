using System.Text;
using System.Text.RegularExpressions;

namespace HierReason.Engine.Tests.Tokenizers;

/// <summary>A deliberately naive byte-level BPE (trainer and encoder) to check the engine's tokenizer against.</summary>
public sealed class ReferenceBpe(IReadOnlyList<(string Left, string Right)> merges, string pattern)
{
    private readonly Dictionary<(string, string), int> _ranks =
        merges.Select((m, i) => (m, i)).ToDictionary(x => (x.m.Left, x.m.Right), x => x.i);
    private readonly Dictionary<string, int> _vocab = TinyBpe.Vocab(merges);
    private readonly Regex _words = new(pattern);

    /// <summary>Learns merges by repeatedly joining the most frequent adjacent pair (ties: ordinal order).</summary>
    public static List<(string Left, string Right)> Train(IEnumerable<string> corpus, string pattern, int mergeCount)
    {
        var regex = new Regex(pattern);
        var words = corpus.SelectMany(text => regex.Matches(text).Select(m => Symbols(m.Value))).ToList();
        var merges = new List<(string, string)>();
        for (var k = 0; k < mergeCount; k++)
        {
            var counts = new Dictionary<(string, string), int>();
            foreach (var word in words)
                for (var i = 0; i + 1 < word.Count; i++)
                    counts[(word[i], word[i + 1])] = counts.GetValueOrDefault((word[i], word[i + 1])) + 1;
            if (counts.Count == 0)
                break;
            var best = counts.OrderByDescending(c => c.Value)
                .ThenBy(c => c.Key.Item1, StringComparer.Ordinal)
                .ThenBy(c => c.Key.Item2, StringComparer.Ordinal)
                .First().Key;
            merges.Add(best);
            foreach (var word in words)
                MergeAll(word, best);
        }

        return merges;
    }

    /// <summary>Encodes plain text (no special tokens) word by word, applying the best-ranked pair until none is left.</summary>
    public List<int> Encode(string text)
    {
        var ids = new List<int>();
        foreach (Match match in _words.Matches(text))
        {
            var symbols = Symbols(match.Value);
            while (true)
            {
                (string, string)? best = null;
                var bestRank = int.MaxValue;
                for (var i = 0; i + 1 < symbols.Count; i++)
                {
                    if (_ranks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                        (best, bestRank) = ((symbols[i], symbols[i + 1]), rank);
                }

                if (best is not { } pair)
                    break;
                MergeAll(symbols, pair);
            }

            ids.AddRange(symbols.Select(s => _vocab[s]));
        }

        return ids;
    }

    private static List<string> Symbols(string word)
    {
        var alphabet = TinyBpe.ByteAlphabet();
        return Encoding.UTF8.GetBytes(word).Select(b => alphabet[b].ToString()).ToList();
    }

    private static void MergeAll(List<string> symbols, (string Left, string Right) pair)
    {
        for (var i = 0; i + 1 < symbols.Count; i++)
        {
            if (symbols[i] == pair.Left && symbols[i + 1] == pair.Right)
            {
                symbols[i] = pair.Left + pair.Right;
                symbols.RemoveAt(i + 1);
            }
        }
    }
}
