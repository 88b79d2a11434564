using System.Text;
using static HierReason.Engine.Chat.Jinja.JinjaValues;

namespace HierReason.Engine.Chat.Jinja;

/// <summary>Runs a parsed template against its variables; each failure names the source, line and column.</summary>
internal sealed class JinjaRenderer(string source, string text)
{
    private enum Flow { Normal, Break, Continue }

    private sealed class Frame(Frame? parent)
    {
        public Dictionary<string, object?> Vars { get; } = [];

        public Frame? Parent => parent;

        public bool TryGet(string name, out object? value)
        {
            for (var f = this; f is not null; f = f.Parent)
            {
                if (f.Vars.TryGetValue(name, out value))
                    return true;
            }

            value = null;
            return false;
        }
    }

    public string Render(IReadOnlyList<JinjaNode> nodes, IReadOnlyDictionary<string, object?> globals)
    {
        var root = new Frame(null);
        foreach (var (k, v) in globals)
            root.Vars[k] = v;
        var output = new StringBuilder();
        Run(nodes, new Frame(root), output);
        return output.ToString();
    }

    private Flow Run(IReadOnlyList<JinjaNode> nodes, Frame frame, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            var flow = Exec(node, frame, output);
            if (flow != Flow.Normal)
                return flow;
        }

        return Flow.Normal;
    }

    private Flow Exec(JinjaNode node, Frame frame, StringBuilder output)
    {
        switch (node)
        {
            case TextNode t:
                output.Append(t.Text);
                return Flow.Normal;
            case OutputNode o:
                output.Append(Str(Eval(o.Value, frame)));
                return Flow.Normal;
            case IfNode i:
                foreach (var (test, body) in i.Branches)
                {
                    if (Truthy(Eval(test, frame)))
                        return Run(body, frame, output);
                }

                return Run(i.Else, frame, output);
            case ForNode f:
                return For(f, frame, output);
            case SetNode s:
                Set(s, frame);
                return Flow.Normal;
            case MacroNode m:
                frame.Vars[m.Name] = Macro(m, frame);
                return Flow.Normal;
            case LoopControlNode c:
                return c.IsBreak ? Flow.Break : Flow.Continue;
            default:
                throw new InvalidOperationException($"unknown node {node.GetType().Name}");
        }
    }

    private Flow For(ForNode f, Frame frame, StringBuilder output)
    {
        var source = Iterate(Eval(f.Items, frame))
            ?? throw Error(f.Items.At, $"cannot loop over a {TypeName(Eval(f.Items, frame))}");
        var items = new List<object?>();
        foreach (var item in source)
        {
            if (f.Filter is null)
                items.Add(item);
            else
            {
                var probe = new Frame(frame);
                Bind(f, probe, item);
                if (Truthy(Eval(f.Filter, probe)))
                    items.Add(item);
            }
        }

        for (var i = 0; i < items.Count; i++)
        {
            var body = new Frame(frame);
            Bind(f, body, items[i]);
            body.Vars["loop"] = new Dictionary<string, object?>
            {
                ["index"] = (long)(i + 1),
                ["index0"] = (long)i,
                ["revindex"] = (long)(items.Count - i),
                ["revindex0"] = (long)(items.Count - i - 1),
                ["first"] = i == 0,
                ["last"] = i == items.Count - 1,
                ["length"] = (long)items.Count,
                ["previtem"] = i > 0 ? items[i - 1] : new JinjaUndefined("loop.previtem"),
                ["nextitem"] = i + 1 < items.Count ? items[i + 1] : new JinjaUndefined("loop.nextitem"),
            };
            if (Run(f.Body, body, output) == Flow.Break)
                break;
        }

        return items.Count == 0 ? Run(f.Else, frame, output) : Flow.Normal;
    }

    private void Bind(ForNode f, Frame frame, object? item)
    {
        if (f.Targets.Count == 1)
        {
            frame.Vars[f.Targets[0]] = item;
            return;
        }

        if (item is not List<object?> parts || parts.Count != f.Targets.Count)
            throw Error(f.At, $"cannot unpack {Repr(item)} into {f.Targets.Count} names");
        for (var i = 0; i < parts.Count; i++)
            frame.Vars[f.Targets[i]] = parts[i];
    }

    private void Set(SetNode s, Frame frame)
    {
        var value = Eval(s.Value, frame);
        if (s.Attribute is { } attribute)
        {
            if (!frame.TryGet(s.Targets[0], out var target) || target is not JinjaNamespace ns)
                throw Error(s.At, $"'{s.Targets[0]}' is not a namespace(), so '{s.Targets[0]}.{attribute}' cannot be set");
            ns.Values[attribute] = value;
            return;
        }

        if (s.Targets.Count == 1)
        {
            frame.Vars[s.Targets[0]] = value;
            return;
        }

        if (value is not List<object?> parts || parts.Count != s.Targets.Count)
            throw Error(s.At, $"cannot unpack {Repr(value)} into {s.Targets.Count} names");
        for (var i = 0; i < parts.Count; i++)
            frame.Vars[s.Targets[i]] = parts[i];
    }

    private JinjaCallable Macro(MacroNode m, Frame defining) => (args, kwargs) =>
    {
        if (args.Count > m.Parameters.Count)
            throw new JinjaRuntimeError($"macro '{m.Name}' takes {m.Parameters.Count} arguments, got {args.Count}");
        var frame = new Frame(defining);
        for (var i = 0; i < m.Parameters.Count; i++)
        {
            var (name, fallback) = m.Parameters[i];
            frame.Vars[name] = i < args.Count ? args[i]
                : kwargs.TryGetValue(name, out var v) ? v
                : fallback is null ? new JinjaUndefined(name) : Eval(fallback, frame);
        }

        var output = new StringBuilder();
        Run(m.Body, frame, output);
        return output.ToString();
    };

    private object? Eval(JinjaExpr e, Frame frame)
    {
        try
        {
            return Evaluate(e, frame);
        }
        catch (JinjaRuntimeError error)
        {
            throw Error(e.At, error.Message);
        }
    }

    private object? Evaluate(JinjaExpr e, Frame frame)
    {
        switch (e)
        {
            case LiteralExpr l:
                return l.Value;
            case NameExpr n:
                return frame.TryGet(n.Name, out var value) ? value : new JinjaUndefined(n.Name);
            case ListExpr l:
                return l.Items.Select(x => Eval(x, frame)).ToList();
            case DictExpr d:
                var dict = new Dictionary<string, object?>();
                foreach (var (k, v) in d.Items)
                    dict[Eval(k, frame) as string ?? throw Error(k.At, "dict keys must be strings")] = Eval(v, frame);
                return dict;
            case AttributeExpr a:
                return JinjaFunctions.GetAttribute(Eval(a.Target, frame), a.Name);
            case IndexExpr i:
                return JinjaFunctions.GetItem(Eval(i.Target, frame), Eval(i.Index, frame));
            case SliceExpr s:
                return JinjaFunctions.Slice(Eval(s.Target, frame), Optional(s.Start, frame), Optional(s.Stop, frame), Optional(s.Step, frame));
            case CallExpr c:
                var callee = Eval(c.Target, frame);
                if (callee is not JinjaCallable function)
                    throw Error(c.At, $"{Describe(c.Target)} is a {TypeName(callee)}, not a function");
                return function(c.Args.Select(x => Eval(x, frame)).ToList(), Kwargs(c.Kwargs, frame));
            case FilterExpr f:
                return JinjaFilters.Apply(f.Name, Eval(f.Value, frame), f.Args.Select(x => Eval(x, frame)).ToList(), Kwargs(f.Kwargs, frame));
            case TestExpr t:
                return JinjaFilters.Test(t.Name, Eval(t.Value, frame), t.Args.Select(x => Eval(x, frame)).ToList()) != t.Negated;
            case UnaryExpr u:
                var operand = Eval(u.Operand, frame);
                return u.Op switch
                {
                    "not" => !Truthy(operand),
                    "-" => operand switch
                    {
                        long l => (object)(-l),
                        double d => -d,
                        bool b => b ? -1L : 0L,
                        _ => throw new JinjaRuntimeError($"cannot negate a {TypeName(operand)}"),
                    },
                    _ => IsNumber(operand) ? operand : throw new JinjaRuntimeError($"unary + on a {TypeName(operand)}"),
                };
            case ConditionalExpr c:
                return Truthy(Eval(c.Test, frame)) ? Eval(c.Then, frame) : c.Else is null ? new JinjaUndefined("if-expression") : Eval(c.Else, frame);
            case BinaryExpr b:
                return Binary(b, frame);
            default:
                throw new InvalidOperationException($"unknown expression {e.GetType().Name}");
        }
    }

    private object? Binary(BinaryExpr b, Frame frame)
    {
        var left = Eval(b.Left, frame);
        switch (b.Op)
        {
            case "and":
                return Truthy(left) ? Eval(b.Right, frame) : left;
            case "or":
                return Truthy(left) ? left : Eval(b.Right, frame);
        }

        var right = Eval(b.Right, frame);
        return b.Op switch
        {
            "==" => Equal(left, right),
            "!=" => !Equal(left, right),
            "<" => Order(left, right) < 0,
            "<=" => Order(left, right) <= 0,
            ">" => Order(left, right) > 0,
            ">=" => Order(left, right) >= 0,
            "in" => JinjaFunctions.Contains(right, left),
            "not in" => !JinjaFunctions.Contains(right, left),
            "~" => Str(left) + Str(right),
            _ => JinjaArithmetic.Apply(b.Op, left, right),
        };
    }

    private static int Order(object? left, object? right) =>
        Compare(left, right) ?? throw new JinjaRuntimeError($"cannot compare a {TypeName(left)} with a {TypeName(right)}");

    private object? Optional(JinjaExpr? e, Frame frame) => e is null ? null : Eval(e, frame);

    private Dictionary<string, object?> Kwargs(IReadOnlyList<(string Name, JinjaExpr Value)> kwargs, Frame frame) =>
        kwargs.ToDictionary(k => k.Name, k => Eval(k.Value, frame));

    private static string Describe(JinjaExpr e) => e switch
    {
        NameExpr n => $"'{n.Name}'",
        AttributeExpr a => $"'.{a.Name}'",
        _ => "the called value",
    };

    private JinjaException Error(int at, string what) => JinjaException.At(source, text, at, what);
}
