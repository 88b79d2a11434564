using System.Text.RegularExpressions;

namespace HierReason.Reasoning.Strategies.Search;

/// <summary>The sentences of a passage and the words a query shares with them (what the scripted searchers read).</summary>
public static class SearchText
{
    private static readonly Regex SentenceEnd = new(@"(?<=[.!?])\s+", RegexOptions.CultureInvariant);
    private static readonly Regex Word = new(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant);

    // Question words and function words carry no evidence: "Who founded X?" must match X's sentence, not any "who".
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "and", "or", "is", "are", "was", "were", "be", "does",
        "did", "do", "who", "what", "which", "where", "when", "whom", "whose", "how", "it", "its", "that", "this", "with",
    };

    /// <summary>The sentences of <paramref name="text"/>, trimmed, empty ones dropped.</summary>
    public static IReadOnlyList<string> Sentences(string text) =>
        SentenceEnd.Split(text.Trim()).Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();

    private static readonly string[] Suffixes = ["ers", "ing", "ed", "es", "s"];

    // Words the templates use for one relation ("works for" / "is employed by"), read as one term.
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.Ordinal) { ["employ"] = "work" };

    /// <summary>The distinct lower-case content words of <paramref name="text"/>, each with a plain suffix (-s, -ed, -ers, …) cut off and a few template synonyms merged.</summary>
    public static IReadOnlySet<string> Terms(string text) =>
        Word.Matches(text).Select(m => m.Value.ToLowerInvariant()).Where(w => !StopWords.Contains(w)).Select(Stem).Select(w => Synonyms.GetValueOrDefault(w, w)).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Whether two terms are the same word: equal, or one a prefix of the other of at least 4 letters, so "works" meets
    /// "work" and "headquartered" meets "headquarters" without a stemmer.
    /// </summary>
    public static bool Same(string a, string b) =>
        a == b || (Math.Min(a.Length, b.Length) >= 4 && (a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal)));

    /// <summary>The sentence of <paramref name="text"/> sharing the most content words with <paramref name="query"/> (the first on a tie); null when the text has none.</summary>
    public static string? BestSentence(string text, string query)
    {
        var terms = Terms(query);
        string? best = null;
        var bestOverlap = -1;
        foreach (var sentence in Sentences(text))
        {
            var words = Terms(sentence);
            var overlap = terms.Count(t => words.Any(w => Same(t, w)));
            if (overlap > bestOverlap) (best, bestOverlap) = (sentence, overlap);
        }
        return best;
    }

    private static string Stem(string word)
    {
        foreach (var suffix in Suffixes)
            if (word.Length - suffix.Length >= 4 && word.EndsWith(suffix, StringComparison.Ordinal)) return word[..^suffix.Length];
        return word;
    }
}
