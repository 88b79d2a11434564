namespace HierReason.Engine.Chat.Jinja;

/// <summary>
/// Builds the statement tree of a template from the lexer's pieces. Everything outside the supported subset (an unknown
/// tag, filter, test, function or method) is an error here, at load time, naming the line and column.
/// </summary>
internal sealed class JinjaParser(string source, string text, IReadOnlyList<JinjaPiece> pieces)
{
    private int _piece;
    private IReadOnlyList<JinjaToken> _tokens = [];
    private int _tok;
    private readonly HashSet<string> _macros = [];
    private readonly List<(string Name, int At)> _calledNames = [];

    public IReadOnlyList<JinjaNode> Parse()
    {
        var body = Body([], out var end);
        if (end is not null)
            throw Error(end.At, $"unexpected '{{% {end.Text} %}}'");
        foreach (var (name, at) in _calledNames)
        {
            if (!_macros.Contains(name) && !JinjaBuiltins.Globals.Contains(name))
                throw Error(at, $"unsupported function '{name}()' (supported: {string.Join(", ", JinjaBuiltins.Globals)} and macros)");
        }

        return body;
    }

    /// <summary>Statements up to one of the <paramref name="ends"/> tags, which is returned (its tokens are current).</summary>
    private List<JinjaNode> Body(string[] ends, out JinjaToken? end)
    {
        var nodes = new List<JinjaNode>();
        while (_piece < pieces.Count)
        {
            var piece = pieces[_piece++];
            if (piece.IsText)
            {
                nodes.Add(new TextNode(piece.At, piece.Text));
                continue;
            }

            _tokens = piece.Tokens;
            _tok = 0;
            if (piece.IsOutput)
            {
                var value = Expression();
                Expect(TokenKind.End);
                nodes.Add(new OutputNode(piece.At, value));
                continue;
            }

            var tag = Next();
            if (tag.Kind != TokenKind.Name)
                throw Error(tag.At, "expected a tag name after '{%'");
            if (ends.Contains(tag.Text))
            {
                end = tag;
                return nodes;
            }

            nodes.Add(Statement(tag));
        }

        if (ends.Length > 0)
            throw Error(text.Length, $"template ended without '{{% {ends[^1]} %}}'");
        end = null;
        return nodes;
    }

    private JinjaNode Statement(JinjaToken tag)
    {
        switch (tag.Text)
        {
            case "if":
                return If(tag);
            case "for":
                return For(tag);
            case "set":
                return Set(tag);
            case "macro":
                return Macro(tag);
            case "break" or "continue":
                Expect(TokenKind.End);
                return new LoopControlNode(tag.At, tag.Text == "break");
            case "generation":
                // transformers' {% generation %} marks the assistant's tokens for a mask; the text renders unchanged.
                Expect(TokenKind.End);
                var body = Body(["endgeneration"], out _);
                Expect(TokenKind.End);
                return new IfNode(tag.At, [(new LiteralExpr(tag.At, true), body)], []);
            default:
                throw Error(tag.At, $"unsupported tag '{{% {tag.Text} %}}' (supported: if, elif, else, for, set, macro, break, continue, generation)");
        }
    }

    private IfNode If(JinjaToken tag)
    {
        var branches = new List<(JinjaExpr, IReadOnlyList<JinjaNode>)>();
        var test = Expression();
        Expect(TokenKind.End);
        while (true)
        {
            var body = Body(["elif", "else", "endif"], out var end);
            branches.Add((test, body));
            if (end!.Text == "elif")
            {
                test = Expression();
                Expect(TokenKind.End);
                continue;
            }

            Expect(TokenKind.End);
            if (end.Text == "endif")
                return new IfNode(tag.At, branches, []);
            var elseBody = Body(["endif"], out _);
            Expect(TokenKind.End);
            return new IfNode(tag.At, branches, elseBody);
        }
    }

    private ForNode For(JinjaToken tag)
    {
        var targets = new List<string> { ExpectName() };
        while (Accept(","))
            targets.Add(ExpectName());
        ExpectWord("in");
        var items = Expression(allowConditional: false);
        JinjaExpr? filter = null;
        if (AcceptWord("if"))
            filter = Expression(allowConditional: false);
        if (Peek().Kind == TokenKind.Name && Peek().Text == "recursive")
            throw Error(Peek().At, "unsupported 'recursive' for loop");
        Expect(TokenKind.End);
        var body = Body(["else", "endfor"], out var end);
        Expect(TokenKind.End);
        IReadOnlyList<JinjaNode> elseBody = [];
        if (end!.Text == "else")
        {
            elseBody = Body(["endfor"], out _);
            Expect(TokenKind.End);
        }

        return new ForNode(tag.At, targets, items, filter, body, elseBody);
    }

    private SetNode Set(JinjaToken tag)
    {
        var targets = new List<string> { ExpectName() };
        string? attribute = null;
        if (Accept("."))
            attribute = ExpectName();
        else
        {
            while (Accept(","))
                targets.Add(ExpectName());
        }

        if (Peek().Kind == TokenKind.End)
            throw Error(Peek().At, "unsupported block '{% set x %}…{% endset %}' (use '{% set x = … %}')");
        ExpectOperator("=");
        var value = Expression();
        if (Peek().Kind == TokenKind.Operator && Peek().Text == ",")
        {
            var items = new List<JinjaExpr> { value };
            while (Accept(","))
                items.Add(Expression());
            value = new ListExpr(value.At, items);
        }

        Expect(TokenKind.End);
        return new SetNode(tag.At, targets, attribute, value);
    }

    private MacroNode Macro(JinjaToken tag)
    {
        var name = ExpectName();
        _macros.Add(name);
        ExpectOperator("(");
        var parameters = new List<(string, JinjaExpr?)>();
        while (!Accept(")"))
        {
            if (parameters.Count > 0)
                ExpectOperator(",");
            var parameter = ExpectName();
            parameters.Add((parameter, Accept("=") ? Expression() : null));
        }

        Expect(TokenKind.End);
        var body = Body(["endmacro"], out _);
        Expect(TokenKind.End);
        return new MacroNode(tag.At, name, parameters, body);
    }

    // Expressions, lowest precedence first, as Jinja orders them.

    private JinjaExpr Expression(bool allowConditional = true)
    {
        var value = Or();
        if (allowConditional && AcceptWord("if"))
        {
            var test = Or();
            var otherwise = AcceptWord("else") ? Expression() : null;
            return new ConditionalExpr(value.At, test, value, otherwise);
        }

        return value;
    }

    private JinjaExpr Or()
    {
        var left = And();
        while (Peek() is { Kind: TokenKind.Name, Text: "or" } t)
        {
            _tok++;
            left = new BinaryExpr(t.At, "or", left, And());
        }

        return left;
    }

    private JinjaExpr And()
    {
        var left = Not();
        while (Peek() is { Kind: TokenKind.Name, Text: "and" } t)
        {
            _tok++;
            left = new BinaryExpr(t.At, "and", left, Not());
        }

        return left;
    }

    private JinjaExpr Not()
    {
        if (Peek() is { Kind: TokenKind.Name, Text: "not" } t)
        {
            _tok++;
            return new UnaryExpr(t.At, "not", Not());
        }

        return Compare();
    }

    private JinjaExpr Compare()
    {
        var left = Additive();
        while (true)
        {
            var t = Peek();
            if (t.Kind == TokenKind.Operator && t.Text is "==" or "!=" or "<" or "<=" or ">" or ">=")
            {
                _tok++;
                left = new BinaryExpr(t.At, t.Text, left, Additive());
            }
            else if (t is { Kind: TokenKind.Name, Text: "in" })
            {
                _tok++;
                left = new BinaryExpr(t.At, "in", left, Additive());
            }
            else if (t is { Kind: TokenKind.Name, Text: "not" } && PeekAt(1) is { Kind: TokenKind.Name, Text: "in" })
            {
                _tok += 2;
                left = new BinaryExpr(t.At, "not in", left, Additive());
            }
            else
                return left;
        }
    }

    private JinjaExpr Additive()
    {
        var left = Concat();
        while (Peek() is { Kind: TokenKind.Operator, Text: "+" or "-" } t)
        {
            _tok++;
            left = new BinaryExpr(t.At, t.Text, left, Concat());
        }

        return left;
    }

    private JinjaExpr Concat()
    {
        var left = Multiplicative();
        while (Peek() is { Kind: TokenKind.Operator, Text: "~" } t)
        {
            _tok++;
            left = new BinaryExpr(t.At, "~", left, Multiplicative());
        }

        return left;
    }

    private JinjaExpr Multiplicative()
    {
        var left = Power();
        while (Peek() is { Kind: TokenKind.Operator, Text: "*" or "/" or "//" or "%" } t)
        {
            _tok++;
            if (t.Text == "%" && left is LiteralExpr { Value: string })
                throw Error(t.At, "unsupported printf-style string formatting ('…' % value); use ~ or +");
            left = new BinaryExpr(t.At, t.Text, left, Power());
        }

        return left;
    }

    private JinjaExpr Power()
    {
        var left = Unary(withFilters: true);
        while (Peek() is { Kind: TokenKind.Operator, Text: "**" } t)
        {
            _tok++;
            left = new BinaryExpr(t.At, "**", left, Unary(withFilters: true));
        }

        return left;
    }

    private JinjaExpr Unary(bool withFilters)
    {
        JinjaExpr value;
        if (Peek() is { Kind: TokenKind.Operator, Text: "-" or "+" } t)
        {
            _tok++;
            value = new UnaryExpr(t.At, t.Text, Unary(withFilters: false));
        }
        else
            value = Postfix(Primary());

        return withFilters ? FiltersAndTests(value) : value;
    }

    private JinjaExpr FiltersAndTests(JinjaExpr value)
    {
        while (true)
        {
            if (Accept("|"))
            {
                var name = Next();
                if (name.Kind != TokenKind.Name)
                    throw Error(name.At, "expected a filter name after '|'");
                if (!JinjaBuiltins.Filters.Contains(name.Text))
                    throw Error(name.At, $"unsupported filter '{name.Text}' (supported: {string.Join(", ", JinjaBuiltins.Filters)})");
                var (args, kwargs) = Peek() is { Kind: TokenKind.Operator, Text: "(" } ? Arguments() : ([], []);
                value = Postfix(new FilterExpr(name.At, value, name.Text, args, kwargs));
            }
            else if (Peek() is { Kind: TokenKind.Name, Text: "is" })
            {
                _tok++;
                var negated = AcceptWord("not");
                var name = Next();
                if (name.Kind != TokenKind.Name)
                    throw Error(name.At, "expected a test name after 'is'");
                if (!JinjaBuiltins.Tests.Contains(name.Text))
                    throw Error(name.At, $"unsupported test 'is {name.Text}' (supported: {string.Join(", ", JinjaBuiltins.Tests)})");
                IReadOnlyList<JinjaExpr> args = [];
                if (Peek() is { Kind: TokenKind.Operator, Text: "(" })
                    args = Arguments().Args;
                else if (Peek().Kind is TokenKind.String or TokenKind.Integer or TokenKind.Float
                         || Peek() is { Kind: TokenKind.Operator, Text: "[" or "{" }
                         || (Peek().Kind == TokenKind.Name && Peek().Text is not ("and" or "or" or "else" or "if" or "in" or "not" or "is")))
                    args = [Postfix(Primary())];
                value = new TestExpr(name.At, value, name.Text, args, negated);
            }
            else
                return value;
        }
    }

    private JinjaExpr Primary()
    {
        var t = Next();
        switch (t.Kind)
        {
            case TokenKind.String:
                var s = (string)t.Value!;
                while (Peek().Kind == TokenKind.String)
                    s += (string)Next().Value!;
                return new LiteralExpr(t.At, s);
            case TokenKind.Integer or TokenKind.Float:
                return new LiteralExpr(t.At, t.Value);
            case TokenKind.Name:
                return t.Text switch
                {
                    "true" or "True" => new LiteralExpr(t.At, true),
                    "false" or "False" => new LiteralExpr(t.At, false),
                    "none" or "None" => new LiteralExpr(t.At, null),
                    _ => new NameExpr(t.At, t.Text),
                };
            case TokenKind.Operator when t.Text == "(":
                if (Accept(")"))
                    return new ListExpr(t.At, []);
                var first = Expression();
                if (Accept(")"))
                    return first;
                var tuple = new List<JinjaExpr> { first };
                while (Accept(","))
                {
                    if (Peek() is { Kind: TokenKind.Operator, Text: ")" })
                        break;
                    tuple.Add(Expression());
                }

                ExpectOperator(")");
                return new ListExpr(t.At, tuple);
            case TokenKind.Operator when t.Text == "[":
                var items = new List<JinjaExpr>();
                while (!Accept("]"))
                {
                    if (items.Count > 0)
                    {
                        ExpectOperator(",");
                        if (Accept("]"))
                            break;
                    }

                    items.Add(Expression());
                }

                return new ListExpr(t.At, items);
            case TokenKind.Operator when t.Text == "{":
                var pairs = new List<(JinjaExpr, JinjaExpr)>();
                while (!Accept("}"))
                {
                    if (pairs.Count > 0)
                    {
                        ExpectOperator(",");
                        if (Accept("}"))
                            break;
                    }

                    var key = Expression();
                    ExpectOperator(":");
                    pairs.Add((key, Expression()));
                }

                return new DictExpr(t.At, pairs);
            default:
                throw Error(t.At, t.Kind == TokenKind.End ? "expected an expression" : $"unexpected '{t.Text}'");
        }
    }

    private JinjaExpr Postfix(JinjaExpr value)
    {
        while (true)
        {
            var t = Peek();
            if (t is { Kind: TokenKind.Operator, Text: "." })
            {
                _tok++;
                var name = Next();
                if (name.Kind == TokenKind.Integer)
                    value = new IndexExpr(name.At, value, new LiteralExpr(name.At, name.Value));
                else if (name.Kind == TokenKind.Name)
                {
                    if (Peek() is { Kind: TokenKind.Operator, Text: "(" } && !JinjaBuiltins.Methods.Contains(name.Text))
                        throw Error(name.At, $"unsupported method '.{name.Text}()' (supported: {string.Join(", ", JinjaBuiltins.Methods)})");
                    value = new AttributeExpr(name.At, value, name.Text);
                }
                else
                    throw Error(name.At, "expected an attribute name after '.'");
            }
            else if (t is { Kind: TokenKind.Operator, Text: "[" })
            {
                _tok++;
                value = Subscript(t.At, value);
            }
            else if (t is { Kind: TokenKind.Operator, Text: "(" })
            {
                if (value is NameExpr name)
                    _calledNames.Add((name.Name, name.At));
                var (args, kwargs) = Arguments();
                value = new CallExpr(value.At, value, args, kwargs);
            }
            else
                return value;
        }
    }

    private JinjaExpr Subscript(int at, JinjaExpr target)
    {
        JinjaExpr? start = null, stop = null, step = null;
        if (Peek() is not { Kind: TokenKind.Operator, Text: ":" })
        {
            start = Expression();
            if (Accept("]"))
                return new IndexExpr(at, target, start);
        }

        ExpectOperator(":");
        if (Peek() is not { Kind: TokenKind.Operator, Text: ":" or "]" })
            stop = Expression();
        if (Accept(":") && Peek() is not { Kind: TokenKind.Operator, Text: "]" })
            step = Expression();
        ExpectOperator("]");
        return new SliceExpr(at, target, start, stop, step);
    }

    private (IReadOnlyList<JinjaExpr> Args, IReadOnlyList<(string, JinjaExpr)> Kwargs) Arguments()
    {
        ExpectOperator("(");
        var args = new List<JinjaExpr>();
        var kwargs = new List<(string, JinjaExpr)>();
        while (!Accept(")"))
        {
            if (args.Count + kwargs.Count > 0)
            {
                ExpectOperator(",");
                if (Accept(")"))
                    break;
            }

            if (Peek().Kind == TokenKind.Name && PeekAt(1) is { Kind: TokenKind.Operator, Text: "=" })
            {
                var name = Next().Text;
                _tok++;
                kwargs.Add((name, Expression()));
            }
            else
                args.Add(Expression());
        }

        return (args, kwargs);
    }

    // Token helpers.

    private JinjaToken Peek() => _tokens[Math.Min(_tok, _tokens.Count - 1)];

    private JinjaToken PeekAt(int ahead) => _tokens[Math.Min(_tok + ahead, _tokens.Count - 1)];

    private JinjaToken Next()
    {
        var t = Peek();
        if (t.Kind != TokenKind.End)
            _tok++;
        return t;
    }

    private bool Accept(string op)
    {
        if (Peek().Kind != TokenKind.Operator || Peek().Text != op)
            return false;
        _tok++;
        return true;
    }

    private bool AcceptWord(string word)
    {
        if (Peek().Kind != TokenKind.Name || Peek().Text != word)
            return false;
        _tok++;
        return true;
    }

    private void Expect(TokenKind kind)
    {
        var t = Peek();
        if (t.Kind != kind)
            throw Error(t.At, kind == TokenKind.End ? $"unexpected '{t.Text}' (expected the end of the tag)" : $"unexpected '{t.Text}'");
        _tok++;
    }

    private void ExpectOperator(string op)
    {
        if (!Accept(op))
            throw Error(Peek().At, $"expected '{op}', found '{Peek().Text}'");
    }

    private void ExpectWord(string word)
    {
        if (!AcceptWord(word))
            throw Error(Peek().At, $"expected '{word}', found '{Peek().Text}'");
    }

    private string ExpectName()
    {
        var t = Next();
        if (t.Kind != TokenKind.Name)
            throw Error(t.At, $"expected a name, found '{t.Text}'");
        return t.Text;
    }

    private JinjaException Error(int at, string what) => JinjaException.At(source, text, at, what);
}
