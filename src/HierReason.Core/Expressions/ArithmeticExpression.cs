namespace HierReason.Core.Expressions;

/// <summary>
/// A safe parser and exact evaluator for integer arithmetic: literals, <c>+ - * /</c> (also
/// <c>× x ÷ −</c>), parentheses, unary minus and plus, whitespace. Text is never run as code. Input
/// longer than <see cref="MaxLength"/>, nested deeper than <see cref="MaxDepth"/>, overflowing a
/// <see cref="long"/> or dividing by zero is a failure, never an exception.
/// </summary>
public static class ArithmeticExpression
{
    public const int MaxLength = 4096;

    /// <summary>Deepest nesting of parentheses and unary signs, which bounds the parser's recursion.</summary>
    public const int MaxDepth = 64;

    /// <summary>Evaluates <paramref name="text"/> exactly, without building a tree.</summary>
    public static bool TryEvaluate(string? text, out Rational value)
    {
        var parser = new Parser(text, literals: null, buildTree: false);
        return parser.TryRun(out value, out _);
    }

    /// <summary>Evaluates <paramref name="text"/> exactly, appending its integer literals, in text order, to <paramref name="literals"/>.</summary>
    public static bool TryEvaluate(string? text, out Rational value, List<long> literals)
    {
        var parser = new Parser(text, literals, buildTree: false);
        return parser.TryRun(out value, out _);
    }

    /// <summary>Parses and evaluates <paramref name="text"/>; null when it is not a valid expression or has no value.</summary>
    public static ParsedExpression? TryParse(string? text)
    {
        var literals = new List<long>();
        var parser = new Parser(text, literals, buildTree: true);
        return parser.TryRun(out var value, out var root) ? new ParsedExpression(root!, value, literals) : null;
    }

    /// <summary>The exact value of a tree (null on division by zero or overflow).</summary>
    public static Rational? Evaluate(ExpressionNode node)
    {
        switch (node)
        {
            case Literal l:
                return l.Value == long.MinValue ? null : Rational.FromInteger(l.Value);
            case Negation n:
                return Evaluate(n.Operand) is { } v ? -v : null;
            case BinaryOperation b:
                if (Evaluate(b.Left) is not { } left || Evaluate(b.Right) is not { } right) return null;
                return Rational.TryApply(b.Operator, left, right, out var r) ? r : null;
            default:
                throw new ArgumentOutOfRangeException(nameof(node), node, "unknown expression node");
        }
    }

    /// <summary>Recursive descent: expr := term (± term)*; term := unary (×÷ unary)*; unary := ± unary | atom.</summary>
    private ref struct Parser
    {
        private readonly ReadOnlySpan<char> _text;
        private readonly List<long>? _literals;
        private readonly bool _buildTree;
        private readonly bool _tooLong;
        private int _pos;
        private int _depth;

        public Parser(string? text, List<long>? literals, bool buildTree)
        {
            _text = text is null ? default : text.AsSpan();
            _tooLong = text is null || text.Length > MaxLength;
            _literals = literals;
            _buildTree = buildTree;
        }

        public bool TryRun(out Rational value, out ExpressionNode? root)
        {
            value = Rational.Zero;
            root = null;
            if (_tooLong) return false;
            if (!Expression(out value, out root)) return false;
            SkipSpace();
            return _pos == _text.Length;
        }

        private bool Expression(out Rational value, out ExpressionNode? node)
        {
            if (!Term(out value, out node)) return false;
            while (true)
            {
                var op = PeekOperator();
                if (op is not ('+' or '-')) return true;
                _pos++;
                if (!Term(out var right, out var rightNode) || !Rational.TryApply(op, value, right, out value)) return false;
                if (_buildTree) node = new BinaryOperation(op, node!, rightNode!);
            }
        }

        private bool Term(out Rational value, out ExpressionNode? node)
        {
            if (!Unary(out value, out node)) return false;
            while (true)
            {
                var op = PeekOperator();
                if (op is not ('*' or '/')) return true;
                _pos++;
                if (!Unary(out var right, out var rightNode) || !Rational.TryApply(op, value, right, out value)) return false;
                if (_buildTree) node = new BinaryOperation(op, node!, rightNode!);
            }
        }

        private bool Unary(out Rational value, out ExpressionNode? node)
        {
            var op = PeekOperator();
            if (op is not ('+' or '-')) return Atom(out value, out node);
            _pos++;
            if (++_depth > MaxDepth)
            {
                value = Rational.Zero;
                node = null;
                return false;
            }
            var ok = Unary(out value, out node);
            _depth--;
            if (!ok || op == '+') return ok;
            value = -value;
            if (_buildTree) node = new Negation(node!);
            return true;
        }

        private bool Atom(out Rational value, out ExpressionNode? node)
        {
            value = Rational.Zero;
            node = null;
            SkipSpace();
            if (_pos >= _text.Length) return false;
            var c = _text[_pos];
            if (c == '(')
            {
                if (++_depth > MaxDepth) return false;
                _pos++;
                if (!Expression(out value, out node)) return false;
                SkipSpace();
                if (_pos >= _text.Length || _text[_pos] != ')') return false;
                _pos++;
                _depth--;
                return true;
            }
            if (!char.IsAsciiDigit(c)) return false;
            long n = 0;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
            {
                // Nineteen nines would overflow; a literal that large is not an answer anyone means.
                if (n > (long.MaxValue - 9) / 10) return false;
                n = n * 10 + (_text[_pos] - '0');
                _pos++;
            }
            value = Rational.FromInteger(n);
            _literals?.Add(n);
            if (_buildTree) node = new Literal(n);
            return true;
        }

        /// <summary>The next operator, normalised to ASCII, without consuming it; '\0' when the next token is not one.</summary>
        private char PeekOperator()
        {
            SkipSpace();
            if (_pos >= _text.Length) return '\0';
            return _text[_pos] switch
            {
                '+' => '+',
                '-' or '\u2212' => '-',
                '*' or 'x' or 'X' or '\u00d7' => '*',
                '/' or '\u00f7' => '/',
                _ => '\0',
            };
        }

        private void SkipSpace()
        {
            while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
        }
    }
}
