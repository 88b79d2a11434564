namespace HierReason.Training.Rewards;

/// <summary>
/// TF-IDF cosine between short texts, with no model to download: words are maximal runs of letters or digits,
/// lower-cased; tf is the raw count; idf is the smoothed <c>ln((1 + n) / (1 + df)) + 1</c> over the n texts compared
/// (scikit-learn's default). A text with no words has cosine 1 with another wordless text and 0 with any other.
/// </summary>
public static class LexicalSimilarity
{
    /// <summary>The mean TF-IDF cosine over all pairs of <paramref name="texts"/> (at least two).</summary>
    public static double MeanPairwiseCosine(IReadOnlyList<string> texts)
    {
        if (texts.Count < 2) throw new ArgumentException("a pairwise mean needs at least two texts", nameof(texts));
        var words = texts.Select(Words).ToArray();
        var df = words.SelectMany(w => w.Keys).GroupBy(w => w, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var vectors = words.Select(w => w.ToDictionary(x => x.Key, x => x.Value * (Math.Log((1.0 + texts.Count) / (1.0 + df[x.Key])) + 1), StringComparer.Ordinal)).ToArray();
        var sum = 0.0;
        var pairs = 0;
        for (var i = 0; i < vectors.Length; i++)
            for (var j = i + 1; j < vectors.Length; j++, pairs++)
                sum += Cosine(vectors[i], vectors[j]);
        return sum / pairs;
    }

    private static double Cosine(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        if (a.Count == 0 || b.Count == 0) return a.Count == b.Count ? 1 : 0;
        var dot = a.Sum(x => b.TryGetValue(x.Key, out var y) ? x.Value * y : 0);
        return dot / (Norm(a) * Norm(b));
    }

    private static double Norm(Dictionary<string, double> v) => Math.Sqrt(v.Values.Sum(x => x * x));

    private static Dictionary<string, int> Words(string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                if (start < 0) start = i;
                continue;
            }
            if (start < 0) continue;
            var word = text[start..i].ToLowerInvariant();
            counts[word] = counts.GetValueOrDefault(word) + 1;
            start = -1;
        }
        return counts;
    }
}
