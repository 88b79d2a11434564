using System.ComponentModel;
using System.Numerics;
using System.Runtime.Intrinsics;
using HierReason.Core.Answers;
using HierReason.Core.Expressions;

namespace HierReason.Core.Tasks;

/// <summary>Config of <see cref="BasicArithmeticTask"/>: terms, digits, operators, parentheses and negative terms.</summary>
public sealed record BasicArithmeticConfig : TaskConfig
{
    [Description("Fewest terms in the expression.")]
    public int MinTerms { get; init; } = 2;

    [Description("Most terms in the expression.")]
    public int MaxTerms { get; init; } = 6;

    [Description("Fewest digits of a term (drawn per term).")]
    public int MinDigits { get; init; } = 1;

    [Description("Most digits of a term.")]
    public int MaxDigits { get; init; } = 4;

    [Description("Operators to draw from, any of \"+-*/\" (division is always exact).")]
    public string Operators { get; init; } = "+-*/";

    [Description("Whether part of the expression may be grouped in parentheses.")]
    public bool AllowParentheses { get; init; } = true;

    [Description("Whether terms may be negative (written as -5).")]
    public bool AllowNegation { get; init; } = true;

    [Description("Whether the gold trace adds column by column where both operands of an addition are non-negative (\"47 + 38: 7 + 8 = 15, 4 + 3 + 1 = 8, so 85\").")]
    public bool ColumnSteps { get; init; }

    public override void Validate()
    {
        InRange(MinTerms, 2, BasicArithmeticTask.MostTerms, nameof(MinTerms));
        InRange(MaxTerms, 2, BasicArithmeticTask.MostTerms, nameof(MaxTerms));
        Ordered(MinTerms, MaxTerms, nameof(MinTerms), nameof(MaxTerms));
        InRange(MinDigits, 1, BasicArithmeticTask.MostDigits, nameof(MinDigits));
        InRange(MaxDigits, 1, BasicArithmeticTask.MostDigits, nameof(MaxDigits));
        Ordered(MinDigits, MaxDigits, nameof(MinDigits), nameof(MaxDigits));
        if (!ArithmeticOperators.AreValid(Operators))
            throw new ConfigException(null, Field(nameof(Operators)), "a non-empty string of distinct operators from \"+-*/\"", $"\"{Operators}\"");
    }
}

/// <summary>What a basic-arithmetic item needs for scoring and inspection: the expression and its value.</summary>
public sealed record BasicArithmeticMetadata : TaskMetadata
{
    public required string Expression { get; init; }
    public required int NumTerms { get; init; }
    public required long Result { get; init; }
}

/// <summary>
/// Evaluate an integer expression with + - * / (every division exact), optionally with
/// parentheses and negative terms. Scoring: the value as a number, exact (any formatting); every
/// other answer scores 0.
/// </summary>
public sealed class BasicArithmeticTask : ReasoningTask<BasicArithmeticConfig, BasicArithmeticMetadata>
{
    public const int MostTerms = 20;
    public const int MostDigits = 6;

    /// <summary>Intermediate values beyond this are redrawn, so every step fits a long with room to spare.</summary>
    private const long Largest = 1_000_000_000_000_000_000;

    private const string Prompt = "Calculate ";

    public override string Name => "basic_arithmetic";

    public override string Description => "Evaluate an integer arithmetic expression with + - * / and parentheses.";

    protected override IEnumerable<BasicArithmeticConfig> DifficultyLevels() =>
    [
        new() { MinTerms = 2, MaxTerms = 2, MinDigits = 1, MaxDigits = 1, Operators = "+-", AllowParentheses = false, AllowNegation = false },
        new() { MinTerms = 2, MaxTerms = 3, MinDigits = 1, MaxDigits = 1, Operators = "+-*", AllowParentheses = false, AllowNegation = false },
        new() { MinTerms = 3, MaxTerms = 4, MinDigits = 1, MaxDigits = 2, Operators = "+-*/", AllowParentheses = false, AllowNegation = false },
        new() { MinTerms = 3, MaxTerms = 5, MinDigits = 1, MaxDigits = 2, Operators = "+-*/", AllowParentheses = true, AllowNegation = true },
        new(),
    ];

    protected override TaskItem Generate(BasicArithmeticConfig config, ItemContext context)
    {
        var builder = new ExpressionDraft(config, context.Rng);
        // Each term writes at most a sign, its digits, " x " and (as the first or last of a group) a parenthesis.
        var text = new SpanText(stackalloc char[Prompt.Length + config.MaxTerms * (config.MaxDigits + 6) + 1]);
        Draft root;
        int terms;
        do
        {
            terms = context.Rng.Int(config.MinTerms, config.MaxTerms);
            Draft? drawn;
            var tries = 0;
            while (true)
            {
                builder.Reset();
                if ((drawn = builder.Build(terms, depth: 0)) is not null) break;
                if (++tries >= ItemContext.MaxDraws)
                    throw new HierReasonException($"{Name}: no expression within range in {ItemContext.MaxDraws} tries; lower max_digits or max_terms");
            }
            root = drawn;
            text.Clear();
            text.Append(Prompt);
            Render(root, ref text);
            text.Append('.');
        }
        while (!context.Accepts(text.Written));
        var question = text.ToString();

        var expression = question.Substring(Prompt.Length, question.Length - Prompt.Length - 1);
        // The gold answer comes from the independent evaluator; the draft's own value must agree.
        if (!ArithmeticExpression.TryEvaluate(expression, out var value) || !value.EqualsInteger(root.Value))
            throw new InvalidOperationException($"{Name}: draft value {root.Value} disagrees with evaluator on '{expression}'");

        // A step line holds three values of at most 20 characters; a column line at most 20 columns of 16 and its operands.
        var traceSize = terms * (config.ColumnSteps ? 420 : 70) + 64;
        var trace = new SpanText(traceSize <= 2048 ? stackalloc char[traceSize] : new char[traceSize]);
        WriteSteps(root, ref trace, config.ColumnSteps);
        var answer = NumericAnswer.Format(value.Numerator);
        trace.Append("<answer>");
        trace.Append(answer);
        trace.Append("</answer>");

        return context.Item(question, answer, new BasicArithmeticMetadata
        {
            Solution = trace.ToString(),
            Expression = expression,
            NumTerms = terms,
            Result = value.Numerator,
        });
    }

    protected override double ScoreAnswer(string answer, TaskItem item, BasicArithmeticMetadata metadata)
        => NumericAnswer.Score(answer, metadata.Result);

    private static void Render(Draft node, ref SpanText text)
    {
        if (node.Grouped) text.Append('(');
        if (node.Operator == '\0') text.Append(node.Value);
        else
        {
            Render(node.Left!, ref text);
            text.Append(' ');
            text.Append(node.Operator);
            text.Append(' ');
            Render(node.Right!, ref text);
        }
        if (node.Grouped) text.Append(')');
    }

    /// <summary>One line per operation, in the order precedence evaluates them (left operand first); with <paramref name="columns"/>, additions of non-negative operands column by column.</summary>
    private static void WriteSteps(Draft node, ref SpanText text, bool columns)
    {
        if (node.Operator == '\0') return;
        WriteSteps(node.Left!, ref text, columns);
        WriteSteps(node.Right!, ref text, columns);
        if (columns && node.Operator == '+' && node.Left!.Value >= 0 && node.Right!.Value >= 0)
        {
            text.Append(ColumnAddition.Line(node.Left.Value, node.Right.Value));
            text.Append('\n');
            return;
        }
        text.Append(node.Left!.Value);
        text.Append(' ');
        text.Append(node.Operator);
        text.Append(' ');
        text.Append(node.Right!.Value);
        text.Append(" = ");
        text.Append(node.Value);
        text.Append('\n');
    }

    /// <summary>
    /// A node of an expression being drawn: a literal (no operator) or an operation with its value. Nodes are reused
    /// from one draw to the next (see <see cref="ExpressionDraft.Reset"/>), so drawing allocates nothing.
    /// </summary>
    private sealed class Draft
    {
        public char Operator { get; private set; }
        public Draft? Left { get; private set; }
        public Draft? Right { get; private set; }
        public long Value { get; private set; }
        public bool Grouped { get; set; }

        public Draft Set(char op, Draft? left, Draft? right, long value)
        {
            (Operator, Left, Right, Value, Grouped) = (op, left, right, value, false);
            return this;
        }
    }

    /// <summary>
    /// Draws an expression as a flat run of atoms joined by operators, read with the usual precedence;
    /// an atom is a literal or (when allowed) a parenthesised run. Divisors are drawn among the
    /// divisors of the value they divide, so every division is exact.
    /// </summary>
    private sealed class ExpressionDraft(BasicArithmeticConfig config, TaskRng rng)
    {
        private const int MaxGroupDepth = 2;
        private readonly string _ops = config.Operators;
        private readonly bool _onlyDivision = config.Operators == "/";
        private readonly List<Draft> _nodes = new(32);
        private int _used;

        /// <summary>Starts a new expression: the nodes of the previous one are reused.</summary>
        public void Reset() => _used = 0;

        private Draft Node(char op, Draft? left, Draft? right, long value)
        {
            if (_used == _nodes.Count) _nodes.Add(new Draft());
            return _nodes[_used++].Set(op, left, right, value);
        }

        public Draft? Build(int terms, int depth)
        {
            var grouped = config.AllowParentheses && terms >= 3 && depth < MaxGroupDepth && rng.Bool();
            var groupSize = grouped ? rng.Int(2, terms - 1) : 0;
            var atoms = terms - groupSize + (grouped ? 1 : 0);
            var groupAt = !grouped ? -1 : _onlyDivision ? 0 : rng.Int(0, atoms - 1);

            Draft? sum = null;
            var sumOp = '+';
            if (Atom(0, groupAt, groupSize, depth) is not { } product) return null;
            for (var i = 1; i < atoms; i++)
            {
                var op = _ops[rng.Int(0, _ops.Length - 1)];
                // A divisor is always a literal, drawn to divide what precedes it.
                while (op == '/' && i == groupAt) op = _ops[rng.Int(0, _ops.Length - 1)];
                if (op is '*' or '/')
                {
                    var right = op == '/' ? Divisor(product.Value) : Atom(i, groupAt, groupSize, depth);
                    if (right is null || Combine(product, op, right) is not { } combined) return null;
                    product = combined;
                }
                else
                {
                    if (sum is null) sum = product;
                    else if (Combine(sum, sumOp, product) is { } added) sum = added;
                    else return null;
                    sumOp = op;
                    if (Atom(i, groupAt, groupSize, depth) is not { } next) return null;
                    product = next;
                }
            }
            return sum is null ? product : Combine(sum, sumOp, product);
        }

        private Draft? Atom(int index, int groupAt, int groupSize, int depth)
        {
            if (index == groupAt)
            {
                if (Build(groupSize, depth + 1) is not { } group) return null;
                group.Grouped = true;
                return group;
            }
            var digits = rng.Int(config.MinDigits, config.MaxDigits);
            var value = rng.Long(digits == 1 ? 0 : Pow10(digits - 1), Pow10(digits) - 1);
            return Node('\0', null, null, Signed(value));
        }

        private Draft? Divisor(long dividend)
        {
            var digits = rng.Int(config.MinDigits, config.MaxDigits);
            var lo = Math.Max(1, digits == 1 ? 1 : Pow10(digits - 1));
            var size = Pow10(digits) - lo;
            for (var i = 0; i < 12; i++)
            {
                var d = rng.Long(lo, lo + size - 1);
                if (dividend % d == 0) return Node('\0', null, null, Signed(d));
            }
            // Few numbers of this size divide the dividend: look through a stretch of them, from a random
            // one upwards, wrapping around to the smallest.
            var start = rng.Long(0, size - 1);
            var steps = Math.Min(size, 1000);
            return FirstDivisor(dividend, lo, size, start, steps) is long found ? Node('\0', null, null, Signed(found)) : null;
        }

        private long Signed(long value) => config.AllowNegation && rng.Int(0, 3) == 0 ? -value : value;

        private Draft? Combine(Draft left, char op, Draft right)
        {
            // Operands are within ±Largest, so only a product can leave the range of a long.
            long a = left.Value, b = right.Value;
            var v = op switch
            {
                '+' => a + b,
                '-' => a - b,
                '*' => (Int128)a * b,
                _ => a / b,
            };
            return v > Largest || v < -Largest ? null : Node(op, left, right, (long)v);
        }
    }

    /// <summary>
    /// The first of <c>lo + (start + j) % size</c>, j = 0 … steps − 1, that divides <paramref name="dividend"/>, or null:
    /// the candidates go up from <c>lo + start</c> and wrap around to <c>lo</c>. This scan is most of the task's
    /// generation time, so it skips candidates larger than the dividend and tests four at a time where it can.
    /// </summary>
    internal static long? FirstDivisor(long dividend, long lo, long size, long start, long steps)
    {
        if (dividend == 0) return lo + start;
        var magnitude = dividend < 0 ? 0UL - (ulong)dividend : (ulong)dividend;
        var upper = Math.Min(steps, size - start);
        return FirstDivisorIn(magnitude, lo + start, upper) ?? FirstDivisorIn(magnitude, lo, steps - upper);
    }

    /// <summary>The smallest of <paramref name="from"/> … <paramref name="from"/> + count − 1 (all ≥ 1) that divides <paramref name="magnitude"/> (≥ 1), or null.</summary>
    private static long? FirstDivisorIn(ulong magnitude, long from, long count)
    {
        // A divisor is at most the number it divides.
        if ((ulong)from > magnitude) return null;
        count = (long)Math.Min((ulong)count, magnitude - (ulong)from + 1);
        var i = 0L;
        if (magnitude < 1UL << 52 && Vector256.IsHardwareAccelerated)
        {
            // Below 2^52 doubles hold every value involved exactly: d divides m exactly when floor(m / d) * d == m
            // (a quotient rounded to a neighbouring integer cannot multiply back to m when d does not divide it).
            var m = Vector256.Create((double)magnitude);
            var d = Vector256.Create((double)from) + Vector256.Create(0.0, 1.0, 2.0, 3.0);
            var four = Vector256.Create(4.0);
            for (; i + 4 <= count; i += 4, d += four)
            {
                var hits = Vector256.Equals(Vector256.Floor(m / d) * d, m).ExtractMostSignificantBits();
                if (hits != 0) return from + i + BitOperations.TrailingZeroCount(hits);
            }
        }
        for (; i < count; i++)
        {
            var d = (ulong)(from + i);
            if (magnitude <= uint.MaxValue ? (uint)magnitude % (uint)d == 0 : magnitude % d == 0) return from + i;
        }
        return null;
    }

    private static long Pow10(int n)
    {
        long p = 1;
        for (var i = 0; i < n; i++) p *= 10;
        return p;
    }
}
