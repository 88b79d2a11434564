using System.ComponentModel;
using System.Text;
using HierReason.Core.Expressions;

namespace HierReason.Core.Tasks;

/// <summary>Config of <see cref="CountdownTask"/>: how many numbers, their range, the target's range and the operators.</summary>
public sealed record CountdownConfig : TaskConfig
{
    [Description("Fewest numbers given.")]
    public int MinNumbers { get; init; } = 4;

    [Description("Most numbers given.")]
    public int MaxNumbers { get; init; } = 6;

    [Description("Smallest number given.")]
    public int MinValue { get; init; } = 1;

    [Description("Largest number given.")]
    public int MaxValue { get; init; } = 100;

    [Description("Smallest target.")]
    public int MinTarget { get; init; } = 100;

    [Description("Largest target.")]
    public int MaxTarget { get; init; } = 999;

    [Description("Operators the generator may use, any of \"+-*/\" (answers may use all four).")]
    public string Operators { get; init; } = "+-*/";

    public override void Validate()
    {
        InRange(MinNumbers, 2, CountdownTask.MostNumbers, nameof(MinNumbers));
        InRange(MaxNumbers, 2, CountdownTask.MostNumbers, nameof(MaxNumbers));
        Ordered(MinNumbers, MaxNumbers, nameof(MinNumbers), nameof(MaxNumbers));
        InRange(MinValue, 1, 100_000, nameof(MinValue));
        InRange(MaxValue, 1, 100_000, nameof(MaxValue));
        Ordered(MinValue, MaxValue, nameof(MinValue), nameof(MaxValue));
        InRange(MinTarget, 0, 1_000_000_000, nameof(MinTarget));
        InRange(MaxTarget, 0, 1_000_000_000, nameof(MaxTarget));
        Ordered(MinTarget, MaxTarget, nameof(MinTarget), nameof(MaxTarget));
        if (!ArithmeticOperators.AreValid(Operators))
            throw new ConfigException(null, Field(nameof(Operators)), "a non-empty string of distinct operators from \"+-*/\"", $"\"{Operators}\"");
    }
}

/// <summary>What a countdown item needs for scoring: the numbers to use, the target, and one expression that works.</summary>
public sealed record CountdownMetadata : TaskMetadata
{
    public required IReadOnlyList<long> Numbers { get; init; }
    public required long Target { get; init; }
    public required string Expression { get; init; }
}

/// <summary>
/// Reach a target by combining given numbers with + - * / and parentheses. Scoring: the answer is
/// parsed by <see cref="ArithmeticExpression"/> (never evaluated as code) and scores 1 iff its exact
/// value equals the target (fractions along the way are fine) and its literals are exactly the given
/// numbers, each used once and none left out; a trailing <c>= 104</c> is allowed when it states the
/// target. Any other answer scores 0.
/// </summary>
public sealed class CountdownTask : ReasoningTask<CountdownConfig, CountdownMetadata>
{
    public const int MostNumbers = 10;

    /// <summary>Draws of numbers allowed before deciding the config cannot reach its target range.</summary>
    private const int MaxAttempts = 100_000;

    public override string Name => "countdown";

    public override string Description => "Reach a target number using each given number exactly once with + - * /.";

    protected override IEnumerable<CountdownConfig> DifficultyLevels() =>
    [
        new() { MinNumbers = 3, MaxNumbers = 3, MinValue = 1, MaxValue = 10, MinTarget = 10, MaxTarget = 50 },
        new() { MinNumbers = 3, MaxNumbers = 4, MinValue = 1, MaxValue = 25, MinTarget = 20, MaxTarget = 200 },
        new() { MinNumbers = 4, MaxNumbers = 5, MinValue = 1, MaxValue = 50, MinTarget = 50, MaxTarget = 500 },
        new(),
    ];

    protected override TaskItem Generate(CountdownConfig config, ItemContext context)
    {
        var rng = context.Rng;
        var numbers = new long[config.MaxNumbers];
        var pool = new Operand[config.MaxNumbers];
        var steps = new StringBuilder(128);
        var question = new StringBuilder(160);
        int count;
        long target;
        string questionText;
        do
        {
            var attempts = 0;
            do
            {
                if (++attempts > MaxAttempts)
                    throw new HierReasonException($"{Name}: no target in [{config.MinTarget}, {config.MaxTarget}] in {MaxAttempts} draws; widen the target range or the number range");
                count = rng.Int(config.MinNumbers, config.MaxNumbers);
                for (var i = 0; i < count; i++) numbers[i] = rng.Int(config.MinValue, config.MaxValue);
                target = Combine(numbers.AsSpan(0, count), pool, config.Operators, rng, steps);
            }
            while (target < config.MinTarget || target > config.MaxTarget);

            question.Clear().Append("Calculate ").Append(target).Append(" using all of these numbers: ");
            for (var i = 0; i < count; i++)
            {
                if (i > 0) question.Append(", ");
                question.Append(numbers[i]);
            }
            question.Append(". Each number must be used exactly once, with any of + - * / and parentheses.");
            questionText = question.ToString();
        }
        while (!context.Accepts(questionText));

        var expression = pool[0].Text;
        steps.Append("<answer>").Append(expression).Append("</answer>");
        return context.Item(questionText, expression, new CountdownMetadata
        {
            Solution = steps.ToString(),
            Numbers = numbers[..count],
            Target = target,
            Expression = expression,
        });
    }

    protected override double ScoreAnswer(string answer, TaskItem item, CountdownMetadata metadata)
    {
        var parts = answer.Split('=');
        var literals = new List<long>(metadata.Numbers.Count);
        if (!ArithmeticExpression.TryEvaluate(parts[0], out var value, literals) || !value.EqualsInteger(metadata.Target)) return 0.0;
        // "expr = 104" is how people write it; whatever follows an '=' must also equal the target.
        for (var i = 1; i < parts.Length; i++)
            if (!ArithmeticExpression.TryEvaluate(parts[i], out var claimed) || !claimed.EqualsInteger(metadata.Target)) return 0.0;
        return SameMultiset(literals, metadata.Numbers) ? 1.0 : 0.0;
    }

    private static bool SameMultiset(List<long> used, IReadOnlyList<long> given)
    {
        if (used.Count != given.Count) return false;
        var expected = given.ToArray();
        var actual = used.ToArray();
        Array.Sort(expected);
        Array.Sort(actual);
        return expected.AsSpan().SequenceEqual(actual);
    }

    /// <summary>A value with the text that computes it and that text's loosest operator's precedence.</summary>
    private readonly record struct Operand(long Value, string Text, int Precedence);

    /// <summary>
    /// Combines random pairs until one value is left, writing a step per operation; subtraction keeps
    /// the larger first and division is done only where exact (else another operator is drawn).
    /// Returns the final value, or -1 when no operator applies or a value grows past int range.
    /// </summary>
    private static long Combine(ReadOnlySpan<long> numbers, Operand[] pool, string ops, TaskRng rng, StringBuilder steps)
    {
        steps.Clear();
        var n = numbers.Length;
        for (var i = 0; i < n; i++) pool[i] = new Operand(numbers[i], NumberText(numbers[i]), 3);
        while (n > 1)
        {
            var i = rng.Int(0, n - 1);
            var j = rng.Int(0, n - 2);
            if (j >= i) j++;
            var a = pool[i];
            var b = pool[j];
            var op = ops[rng.Int(0, ops.Length - 1)];
            if (op == '/' && (b.Value == 0 || a.Value % b.Value != 0))
            {
                if (a.Value != 0 && b.Value % a.Value == 0) (a, b) = (b, a);
                else if (ops.Length == 1) return -1;
                else
                {
                    // Neither way divides exactly: use another of the allowed operators.
                    do op = ops[rng.Int(0, ops.Length - 1)];
                    while (op == '/');
                }
            }
            if (op == '-' && a.Value < b.Value) (a, b) = (b, a);
            Int128 x = a.Value, y = b.Value;
            var v = op switch { '+' => x + y, '-' => x - y, '*' => x * y, _ => x / y };
            if (v > int.MaxValue) return -1;
            var prec = op is '+' or '-' ? 1 : 2;
            var left = a.Precedence < prec ? "(" + a.Text + ")" : a.Text;
            var right = b.Precedence < prec || (b.Precedence == prec && op is '-' or '/') ? "(" + b.Text + ")" : b.Text;
            steps.Append(a.Value).Append(' ').Append(op).Append(' ').Append(b.Value).Append(" = ").Append((long)v).Append('\n');
            pool[i] = new Operand((long)v, left + op + right, prec);
            pool[j] = pool[n - 1];
            n--;
        }
        return pool[0].Value;
    }

    private static string NumberText(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
