using System.ComponentModel;
using HierReason.Core.Answers;

namespace HierReason.Core.Tasks;

/// <summary>Config of <see cref="ChainSumTask"/>: how many terms, how many digits each, and whether terms may be negative.</summary>
public sealed record ChainSumConfig : TaskConfig
{
    [Description("Fewest terms in the chain.")]
    public int MinTerms { get; init; } = 2;

    [Description("Most terms in the chain.")]
    public int MaxTerms { get; init; } = 6;

    [Description("Fewest digits of the terms (one digit count is drawn per question).")]
    public int MinDigits { get; init; } = 1;

    [Description("Most digits of the terms.")]
    public int MaxDigits { get; init; } = 4;

    [Description("Whether terms may be negative (written as -5).")]
    public bool AllowNegation { get; init; }

    [Description("Whether terms after the first may be subtracted (false: a chain of additions).")]
    public bool AllowSubtraction { get; init; } = true;

    [Description("Whether the gold trace adds column by column (\"47 + 38: 7 + 8 = 15, 4 + 3 + 1 = 8, so 85\"); needs additions of non-negative terms.")]
    public bool ColumnSteps { get; init; }

    public override void Validate()
    {
        InRange(MinTerms, 2, ChainSumTask.MostTerms, nameof(MinTerms));
        InRange(MaxTerms, 2, ChainSumTask.MostTerms, nameof(MaxTerms));
        Ordered(MinTerms, MaxTerms, nameof(MinTerms), nameof(MaxTerms));
        InRange(MinDigits, 1, ChainSumTask.MostDigits, nameof(MinDigits));
        InRange(MaxDigits, 1, ChainSumTask.MostDigits, nameof(MaxDigits));
        Ordered(MinDigits, MaxDigits, nameof(MinDigits), nameof(MaxDigits));
        if (ColumnSteps && (AllowSubtraction || AllowNegation))
            throw new ConfigException(null, Field(nameof(ColumnSteps)), "column steps only for additions of non-negative terms (allow_subtraction and allow_negation false)", "true");
    }
}

/// <summary>What a chain-sum item needs for scoring and inspection: the expression and its value.</summary>
public sealed record ChainSumMetadata : TaskMetadata, IDecomposable
{
    public required string Expression { get; init; }
    public required int NumTerms { get; init; }
    public required int NumDigits { get; init; }
    public required long Result { get; init; }

    /// <summary>
    /// Independent partial sums: the chain cut into chunks of at most three terms (balanced; a chain of up to three terms
    /// is one chunk), each chunk starting from its first term's signed value ("- 5 + 7" becomes "-5 + 7"), summed. Each
    /// sub-question is phrased as the task phrases its own questions, so a worker trained on the task can answer it.
    /// </summary>
    public GoldDecomposition Decompose()
    {
        var tokens = Expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var terms = (tokens.Length + 1) / 2;
        var chunks = terms <= 3 ? 1 : (terms + 2) / 3;
        var parts = new SubProblem[chunks];
        for (int c = 0, first = 0; c < chunks; c++)
        {
            var size = terms / chunks + (c < terms % chunks ? 1 : 0);
            var values = Enumerable.Range(first, size).Select(i => Signed(tokens, i)).ToArray();
            var text = new System.Text.StringBuilder(NumericAnswer.Format(values[0]));
            for (var i = first + 1; i < first + size; i++) text.Append(' ').Append(tokens[2 * i - 1]).Append(' ').Append(tokens[2 * i]);
            parts[c] = new SubProblem { Question = $"{ChainSumTask.Prompt}{text} =", Expression = text.ToString(), Answer = values.Sum() };
            first += size;
        }
        return new GoldDecomposition(parts, CombineOperation.Sum);
    }

    /// <summary>Term <paramref name="i"/> with the sign its operator gives it.</summary>
    private static long Signed(string[] tokens, int i)
    {
        var value = long.Parse(tokens[2 * i], System.Globalization.CultureInfo.InvariantCulture);
        return i > 0 && tokens[2 * i - 1] == "-" ? -value : value;
    }
}

/// <summary>
/// Add and subtract a chain of integers (reasoning-gym's chain_sum). Scoring: the result as a
/// number, exact (any formatting); every other answer scores 0.
/// </summary>
public sealed class ChainSumTask : ReasoningTask<ChainSumConfig, ChainSumMetadata>
{
    public const int MostTerms = 50;

    /// <summary>Fifteen-digit terms keep any chain of <see cref="MostTerms"/> inside a long.</summary>
    public const int MostDigits = 15;

    internal const string Prompt = "State the final answer to the following arithmetic problem: ";

    public override string Name => "chain_sum";

    public override string Description => "Add and subtract a chain of integers.";

    protected override IEnumerable<ChainSumConfig> DifficultyLevels() =>
    [
        new() { MinTerms = 2, MaxTerms = 2, MinDigits = 1, MaxDigits = 1 },
        new() { MinTerms = 2, MaxTerms = 3, MinDigits = 1, MaxDigits = 2 },
        new() { MinTerms = 3, MaxTerms = 4, MinDigits = 1, MaxDigits = 3 },
        new() { MinTerms = 2, MaxTerms = 6, MinDigits = 1, MaxDigits = 4 },
    ];

    protected override TaskItem Generate(ChainSumConfig config, ItemContext context)
    {
        var rng = context.Rng;
        Span<long> terms = stackalloc long[config.MaxTerms];
        Span<bool> minus = stackalloc bool[config.MaxTerms];
        // Spans rather than StringBuilders: this task promises over a million items a second.
        var question = new SpanText(stackalloc char[Prompt.Length + config.MaxTerms * (config.MaxDigits + 4) + 4]);
        int count, digits;
        do
        {
            count = rng.Int(config.MinTerms, config.MaxTerms);
            digits = rng.Int(config.MinDigits, config.MaxDigits);
            var hi = Pow10(digits) - 1;
            var lo = digits == 1 ? 0 : Pow10(digits - 1);
            question.Clear();
            question.Append(Prompt);
            for (var i = 0; i < count; i++)
            {
                var t = rng.Long(lo, hi);
                if (config.AllowNegation && rng.Bool()) t = -t;
                terms[i] = t;
                // Without subtraction no draw is made, so the items of configs that allow it stay what they were.
                minus[i] = i > 0 && config.AllowSubtraction && rng.Bool();
                if (i > 0) question.Append(minus[i] ? " - " : " + ");
                question.Append(t);
            }
            question.Append(" =");
        }
        while (!context.Accepts(question.Written));
        var questionText = question.ToString();

        // Each line holds three numbers of at most digits + 2 characters (sign, one carry) and 7 more.
        // Column steps add one "x + y + 1 = s, " per column (the running total may have a few more digits than a term).
        var trace = new SpanText(stackalloc char[count * (3 * (digits + 3) + 8 + (config.ColumnSteps ? (digits + 4) * 20 : 0)) + 40]);
        var total = terms[0];
        var columns = config.ColumnSteps ? new System.Text.StringBuilder() : null;
        for (var i = 1; i < count; i++)
        {
            var next = minus[i] ? total - terms[i] : total + terms[i];
            if (columns is not null) columns.Append(ColumnAddition.Line(total, terms[i])).Append('\n');
            else
            {
                trace.Append(total);
                trace.Append(minus[i] ? " - " : " + ");
                trace.Append(terms[i]);
                trace.Append(" = ");
                trace.Append(next);
                trace.Append('\n');
            }
            total = next;
        }
        if (columns is not null) trace.Append(columns.ToString());
        var answer = NumericAnswer.Format(total);
        trace.Append("<answer>");
        trace.Append(answer);
        trace.Append("</answer>");

        return context.Item(questionText, answer, new ChainSumMetadata
        {
            Solution = trace.ToString(),
            Expression = questionText.Substring(Prompt.Length, questionText.Length - Prompt.Length - 2),
            NumTerms = count,
            NumDigits = digits,
            Result = total,
        });
    }

    protected override double ScoreAnswer(string answer, TaskItem item, ChainSumMetadata metadata)
        => NumericAnswer.Score(answer, metadata.Result);

    private static long Pow10(int n)
    {
        long p = 1;
        for (var i = 0; i < n; i++) p *= 10;
        return p;
    }
}
