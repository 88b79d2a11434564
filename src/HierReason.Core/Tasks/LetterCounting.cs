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

    private const string Prefix = "How many times does the letter \"";
    private const string Middle = "\" appear in the text: \"";
    private const string Suffix = "\"?";

    public override string Name => "letter_counting";

    public override string Description => "Count how many times a letter appears in a short text.";

    /// <summary>The shipped word list (lowercase a–z, 3–10 letters; see Resources/words.LICENSE.txt).</summary>
    public static IReadOnlyList<string> Words => WordList.Value;

    private static readonly Lazy<string[]> WordList = new(LoadWords);

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
        var words = WordList.Value;
        var rng = context.Rng;
        var picks = new int[config.MaxWords];
        int n;
        char letter;
        string question;
        do
        {
            n = rng.Int(config.MinWords, config.MaxWords);
            for (var i = 0; i < n; i++) picks[i] = rng.Int(0, words.Length - 1);
            if (rng.NextDouble() < LetterFromTextProbability)
            {
                var w = words[picks[rng.Int(0, n - 1)]];
                letter = w[rng.Int(0, w.Length - 1)];
            }
            else letter = (char)('a' + rng.Int(0, 25));

            question = Question(words, picks, n, letter);
        }
        while (!context.Accepts(question));

        // Counting and the trace: one line per word that has the letter, then the sum of those lines.
        var sb = new StringBuilder(16 + n * 18);
        Span<int> counts = stackalloc int[n];
        var total = 0;
        var nonzero = 0;
        for (var i = 0; i < n; i++)
        {
            var w = words[picks[i]];
            var c = counts[i] = Occurrences(w, letter);
            if (c == 0) continue;
            sb.Append(w).Append(": ").Append(c).Append('\n');
            total += c;
            nonzero++;
        }
        if (nonzero == 0)
            sb.Append("no word contains \"").Append(letter).Append("\"\n");
        else if (nonzero > 1)
        {
            var first = true;
            for (var i = 0; i < n; i++)
            {
                var c = counts[i];
                if (c == 0) continue;
                if (!first) sb.Append(" + ");
                sb.Append(c);
                first = false;
            }
            sb.Append(" = ").Append(total).Append('\n');
        }
        var answer = NumericAnswer.Format(total);
        sb.Append("<answer>").Append(answer).Append("</answer>");

        var textStart = Prefix.Length + 1 + Middle.Length;
        return context.Item(question, answer, new LetterCountingMetadata
        {
            Solution = sb.ToString(),
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
        var lower = char.ToLowerInvariant(letter);
        var upper = char.ToUpperInvariant(letter);
        var count = 0;
        foreach (var ch in text)
            if (ch == lower || ch == upper) count++;
        return count;
    }

    /// <summary>The question, written straight into the string (this is drawn until a split accepts it).</summary>
    private static string Question(string[] words, int[] picks, int n, char letter)
    {
        var length = Prefix.Length + 1 + Middle.Length + (n - 1) + Suffix.Length;
        for (var i = 0; i < n; i++) length += words[picks[i]].Length;
        return string.Create(length, (words, picks, n, letter), static (span, s) =>
        {
            Prefix.CopyTo(span);
            var pos = Prefix.Length;
            span[pos++] = s.letter;
            Middle.CopyTo(span[pos..]);
            pos += Middle.Length;
            for (var i = 0; i < s.n; i++)
            {
                if (i > 0) span[pos++] = ' ';
                var w = s.words[s.picks[i]];
                w.CopyTo(span[pos..]);
                pos += w.Length;
            }
            Suffix.CopyTo(span[pos..]);
        });
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
