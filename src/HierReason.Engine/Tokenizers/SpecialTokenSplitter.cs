namespace HierReason.Engine.Tokenizers;

/// <summary>Finds special tokens written in text so they encode as single ids (longest match wins).</summary>
public sealed class SpecialTokenSplitter
{
    private readonly Dictionary<char, (string Token, int Id)[]> _byFirstChar;

    /// <summary>Creates a splitter for the given special tokens.</summary>
    public SpecialTokenSplitter(IReadOnlyDictionary<string, int> specials)
    {
        _byFirstChar = specials
            .Where(kv => kv.Key.Length > 0)
            .GroupBy(kv => kv.Key[0])
            .ToDictionary(
                g => g.Key,
                // Longest first so "<|im_start|>" wins over a hypothetical "<|im".
                g => g.OrderByDescending(kv => kv.Key.Length).Select(kv => (kv.Key, kv.Value)).ToArray());
    }

    /// <summary>Splits text into plain and special segments, in order; empty plain segments are omitted.</summary>
    public List<TextSegment> Split(string text)
    {
        var segments = new List<TextSegment>();
        var plainStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (_byFirstChar.TryGetValue(text[i], out var candidates) && Match(text, i, candidates) is { } hit)
            {
                if (i > plainStart)
                    segments.Add(new TextSegment(text[plainStart..i], -1));
                segments.Add(new TextSegment(null, hit.Id));
                i += hit.Length;
                plainStart = i;
            }
            else
            {
                i++;
            }
        }

        if (plainStart < text.Length)
            segments.Add(new TextSegment(text[plainStart..], -1));
        return segments;
    }

    private static (int Id, int Length)? Match(string text, int at, (string Token, int Id)[] candidates)
    {
        foreach (var (token, id) in candidates)
        {
            if (at + token.Length <= text.Length && string.CompareOrdinal(text, at, token, 0, token.Length) == 0)
                return (id, token.Length);
        }

        return null;
    }
}
