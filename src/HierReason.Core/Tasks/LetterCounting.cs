using System.ComponentModel;
using System.Text;
using HierReason.Core.Answers;

namespace HierReason.Core.Tasks;

/// <summary>Config of <see cref="LetterCountingTask"/>: how many words the text has.</summary>
public sealed record LetterCountingConfig : TaskConfig
{
    [Description("Fewest words in the text.")]
    public int MinWords { get; init; } = 5;

    [Description("Most words in the text.")]
    public int MaxWords { get; init; } = 15;

    public override void Validate()
    {
        InRange(MinWords, 1, 100, nameof(MinWords));
        InRange(MaxWords, 1, 100, nameof(MaxWords));
        Ordered(MinWords, MaxWords, nameof(MinWords), nameof(MaxWords));
    }
}

/// <summary>What a letter-counting item needs for scoring and inspection: the letter, the text, the count.</summary>
public sealed record LetterCountingMetadata : TaskMetadata
{
    public required string Letter { get; init; }
    public required string Text { get; init; }
    public required int Count { get; init; }
}

/// <summary>
/// Count how often a letter occurs in a short text of English words (case-insensitive). The letter
/// usually comes from the text but sometimes not, so 0 is a possible answer. Scoring: the count as a
/// number, exact (any formatting); every other answer scores 0.
/// </summary>
public sealed class LetterCountingTask : ReasoningTask<LetterCountingConfig, LetterCountingMetadata>
{
    // Most questions ask for a letter that is in the text; the rest ask for any letter, which may be absent.
    private const double LetterFromTextProbability = 0.75;

    private const int LetterTriesPerText = 4;

    private const string Prefix = "How many times does the letter \"";
    private const string Middle = "\" appear in the text: \"";
    private const string Suffix = "\"?";

    public override string Name => "letter_counting";

    public override string Description => "Count how many times a letter appears in a short text.";

    /// <summary>The shipped word list (lowercase a–z, 3–10 letters; see Resources/words.LICENSE.txt).</summary>
    public static IReadOnlyList<string> Words => WordList.Value.Words;

    private static readonly Lazy<Lexicon> WordList = new(() => new Lexicon(LoadWords()));

    protected override IEnumerable<LetterCountingConfig> DifficultyLevels() =>
    [
        new() { MinWords = 1, MaxWords = 3 },
        new() { MinWords = 3, MaxWords = 5 },
        new() { MinWords = 5, MaxWords = 10 },
        new() { MinWords = 5, MaxWords = 15 },
        new() { MinWords = 10, MaxWords = 25 },
    ];

    protected override TaskItem Generate(LetterCountingConfig config, ItemContext context)
    {
        var lexicon = WordList.Value;
        var words = lexicon.Words;
        var rng = context.Rng;
        Span<int> picks = stackalloc int[config.MaxWords];
        Span<char> buffer = stackalloc char[64 + config.MaxWords * 11];
        var n = 0;
        var length = 0;
        var tries = 0;
        char letter;
        do
        {
            // A rejected question usually keeps its text and asks about another letter, which costs one
            // character instead of a new text; the text is redrawn every few tries so that a text whose
            // questions all belong to other splits cannot stall generation.
            if (tries++ % LetterTriesPerText == 0)
            {
                n = rng.Int(config.MinWords, config.MaxWords);
                DrawWords(rng, words.Length, picks[..n]);
                length = WriteQuestion(ref buffer, words, picks[..n]);
            }
            if (rng.NextDouble() < LetterFromTextProbability)
            {
                var w = words[picks[rng.Int(0, n - 1)]];
                letter = w[rng.Int(0, w.Length - 1)];
            }
            else letter = (char)('a' + rng.Int(0, 25));
            buffer[Prefix.Length] = letter;
        }
        while (!context.Accepts(buffer[..length]));
        var question = new string(buffer[..length]);

        // Counting and the trace: one line per word that has the letter, then the sum of those lines.
        Span<int> counts = stackalloc int[n];
        var total = 0;
        var nonzero = 0;
        var capacity = 64;
        for (var i = 0; i < n; i++)
        {
            var w = words[picks[i]];
            var c = counts[i] = lexicon.Occurrences(picks[i], letter);
            total += c;
            if (c > 0) nonzero++;
            // Its line (word, ": ", count, newline) and its term in the sum (" + ", count), generously.
            capacity += w.Length + 16;
        }
        var trace = new SpanText(stackalloc char[capacity]);
        for (var i = 0; i < n; i++)
        {
            if (counts[i] == 0) continue;
            trace.Append(words[picks[i]]);
            trace.Append(": ");
            trace.Append(counts[i]);
            trace.Append('\n');
        }
        if (nonzero == 0)
        {
            trace.Append("no word contains \"");
            trace.Append(letter);
            trace.Append("\"\n");
        }
        else if (nonzero > 1)
        {
            var first = true;
            for (var i = 0; i < n; i++)
            {
                if (counts[i] == 0) continue;
                if (!first) trace.Append(" + ");
                trace.Append(counts[i]);
                first = false;
            }
            trace.Append(" = ");
            trace.Append(total);
            trace.Append('\n');
        }
        var answer = NumericAnswer.Format(total);
        trace.Append("<answer>");
        trace.Append(answer);
        trace.Append("</answer>");

        var textStart = Prefix.Length + 1 + Middle.Length;
        return context.Item(question, answer, new LetterCountingMetadata
        {
            Solution = trace.ToString(),
            Letter = letter.ToString(),
            Text = question.Substring(textStart, question.Length - textStart - Suffix.Length),
            Count = total,
        });
    }

    protected override double ScoreAnswer(string answer, TaskItem item, LetterCountingMetadata metadata)
        => NumericAnswer.Score(answer, metadata.Count);

    /// <summary>How often <paramref name="letter"/> occurs in <paramref name="text"/>, ignoring case.</summary>
    public static int Occurrences(ReadOnlySpan<char> text, char letter)
    {
        var count = 0;
        if (char.IsAsciiLetter(letter))
        {
            // ASCII upper and lower case differ only in bit 5, so one compare covers both.
            var lower = (char)(letter | 0x20);
            foreach (var ch in text)
                if ((char)(ch | 0x20) == lower) count++;
            return count;
        }
        var l = char.ToLowerInvariant(letter);
        var u = char.ToUpperInvariant(letter);
        foreach (var ch in text)
            if (ch == l || ch == u) count++;
        return count;
    }

    /// <summary>Uniform word indices, two from each 64-bit draw (the list is far shorter than 2^32 words).</summary>
    private static void DrawWords(TaskRng rng, int count, Span<int> picks)
    {
        for (var i = 0; i < picks.Length; i += 2)
        {
            var r = rng.NextUInt64();
            picks[i] = (int)(((r & 0xFFFF_FFFFUL) * (ulong)count) >> 32);
            if (i + 1 < picks.Length) picks[i + 1] = (int)(((r >> 32) * (ulong)count) >> 32);
        }
    }

    /// <summary>Writes the question with a placeholder letter into <paramref name="buffer"/> (grown if needed); returns its length.</summary>
    private static int WriteQuestion(ref Span<char> buffer, string[] words, ReadOnlySpan<int> picks)
    {
        var length = Prefix.Length + 1 + Middle.Length + (picks.Length - 1) + Suffix.Length;
        foreach (var p in picks) length += words[p].Length;
        if (length > buffer.Length) buffer = new char[length];
        var span = buffer;
        Prefix.CopyTo(span);
        var pos = Prefix.Length;
        span[pos++] = '?';
        Middle.CopyTo(span[pos..]);
        pos += Middle.Length;
        for (var i = 0; i < picks.Length; i++)
        {
            if (i > 0) span[pos++] = ' ';
            var w = words[picks[i]];
            w.CopyTo(span[pos..]);
            pos += w.Length;
        }
        Suffix.CopyTo(span[pos..]);
        return length;
    }

    /// <summary>The word list with each word's count of each letter a–z, so counting is a lookup.</summary>
    private sealed class Lexicon
    {
        private readonly byte[] _letterCounts;

        public Lexicon(string[] words)
        {
            Words = words;
            _letterCounts = new byte[words.Length * 26];
            for (var i = 0; i < words.Length; i++)
                for (var l = 0; l < 26; l++)
                    _letterCounts[i * 26 + l] = (byte)Math.Min(255, LetterCountingTask.Occurrences(words[i], (char)('a' + l)));
        }

        public string[] Words { get; }

        public int Occurrences(int word, char letter) => letter is >= 'a' and <= 'z' && Words[word].Length < 255
            ? _letterCounts[word * 26 + (letter - 'a')]
            : LetterCountingTask.Occurrences(Words[word], letter);
    }

    private static string[] LoadWords()
    {
        const string resource = "HierReason.Core.Resources.words.txt";
        using var stream = typeof(LetterCountingTask).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} is missing from the build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var words = new List<string>(5_300);
        while (reader.ReadLine() is { } line)
        {
            var w = line.Trim();
            if (w.Length > 0 && w[0] != '#') words.Add(w);
        }
        if (words.Count == 0) throw new InvalidOperationException($"embedded resource {resource} has no words");
        return words.ToArray();
    }
}
