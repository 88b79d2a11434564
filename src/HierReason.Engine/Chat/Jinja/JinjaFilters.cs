using System.Globalization;
using System.Text;
using static HierReason.Engine.Chat.Jinja.JinjaValues;

namespace HierReason.Engine.Chat.Jinja;

/// <summary>The filters (<c>x | name</c>) and tests (<c>x is name</c>) of the supported subset, with Jinja's meaning.</summary>
internal static class JinjaFilters
{
    public static object? Apply(string name, object? value, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs)
    {
        object? Arg(int i, string key, object? fallback = null) =>
            i < args.Count ? args[i] : kwargs.TryGetValue(key, out var v) ? v : fallback;

        switch (name)
        {
            case "trim":
                return Arg(0, "chars") is string chars ? Str(value).Trim(chars.ToCharArray()) : Str(value).Trim();
            case "tojson":
                return JinjaJson.Dumps(value, Arg(0, "indent") is long indent ? (int)indent : null);
            case "length" or "count":
                return value switch
                {
                    string s => (long)s.EnumerateRunes().Count(),
                    List<object?> l => (long)l.Count,
                    Dictionary<string, object?> d => (long)d.Count,
                    JinjaUndefined => 0L,
                    _ => throw new JinjaRuntimeError($"'{TypeName(value)}' has no length"),
                };
            case "first":
                return Sequence(value, name) is { Count: > 0 } f ? f[0] : new JinjaUndefined("first");
            case "last":
                return Sequence(value, name) is { Count: > 0 } l2 ? l2[^1] : new JinjaUndefined("last");
            case "upper":
                return Str(value).ToUpperInvariant();
            case "lower":
                return Str(value).ToLowerInvariant();
            case "capitalize":
                return JinjaFunctions.Capitalize(Str(value));
            case "title":
                return JinjaFunctions.Title(Str(value));
            case "replace":
                return JinjaFunctions.Replace(Str(value), Str(Arg(0, "old")), Str(Arg(1, "new")), Arg(2, "count"));
            case "join":
                var attribute = Arg(1, "attribute");
                var parts = Sequence(value, name).Select(x => Str(attribute is null ? x : JinjaFunctions.GetAttribute(x, Str(attribute))));
                return string.Join(Arg(0, "d", "") is string sep ? sep : Str(Arg(0, "d")), parts);
            case "default" or "d":
                var fallback = Arg(0, "default_value", "");
                var boolean = Truthy(Arg(1, "boolean", false));
                return value is JinjaUndefined || (boolean && !Truthy(value)) ? fallback : value;
            case "list":
                return new List<object?>(Sequence(value, name));
            case "reverse":
                return value is string rs ? new string(rs.Reverse().ToArray()) : Enumerable.Reverse(Sequence(value, name)).ToList();
            case "string":
                return Str(value);
            case "safe":
                return value;
            case "int":
                return ToInt(value, Arg(0, "default", 0L));
            case "float":
                return value switch
                {
                    double d => d,
                    long or bool => ToDouble(value),
                    string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => p,
                    _ => Arg(0, "default", 0.0),
                };
            case "abs":
                return value switch
                {
                    long l => (object)Math.Abs(l),
                    double d => Math.Abs(d),
                    _ => throw new JinjaRuntimeError($"abs of a {TypeName(value)}"),
                };
            case "items":
                return value switch
                {
                    Dictionary<string, object?> d => d.Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList(),
                    null or JinjaUndefined => new List<object?>(),
                    _ => throw new JinjaRuntimeError($"items of a {TypeName(value)}"),
                };
            case "select" or "reject":
                return Sequence(value, name).Where(x => Passes(x, args, 0) == (name == "select")).ToList();
            case "selectattr" or "rejectattr":
                var key = Str(Arg(0, "attribute"));
                return Sequence(value, name).Where(x => Passes(JinjaFunctions.GetAttribute(x, key), args, 1) == (name == "selectattr")).ToList();
            case "map":
                if (kwargs.TryGetValue("attribute", out var attr))
                    return Sequence(value, name).Select(x => JinjaFunctions.GetAttribute(x, Str(attr)) is JinjaUndefined && kwargs.TryGetValue("default", out var dv) ? dv : JinjaFunctions.GetAttribute(x, Str(attr))).ToList();
                if (args.Count == 0 || args[0] is not string filter || !Names.Contains(filter))
                    throw new JinjaRuntimeError("map needs attribute='…' or a supported filter name");
                return Sequence(value, name).Select(x => Apply(filter, x, args.Skip(1).ToList(), new Dictionary<string, object?>())).ToList();
            default:
                throw new JinjaRuntimeError($"unsupported filter '{name}'");
        }
    }

    /// <summary>The filter names <see cref="Apply"/> knows.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "trim", "tojson", "length", "count", "first", "last", "upper", "lower", "capitalize", "title", "replace", "join",
        "default", "d", "list", "reverse", "string", "safe", "int", "float", "abs", "items", "select", "reject",
        "selectattr", "rejectattr", "map",
    ];

    /// <summary>The test names <see cref="Test"/> knows.</summary>
    public static readonly IReadOnlyList<string> TestNames =
    [
        "defined", "undefined", "none", "string", "mapping", "iterable", "sequence", "number", "integer", "float",
        "boolean", "true", "false", "equalto", "eq", "ne", "sameas", "odd", "even", "divisibleby", "in", "callable",
        "lower", "upper",
    ];

    public static bool Test(string name, object? value, IReadOnlyList<object?> args)
    {
        object? Arg(int i) => i < args.Count ? args[i] : throw new JinjaRuntimeError($"test '{name}' needs an argument");
        return name switch
        {
            "defined" => value is not JinjaUndefined,
            "undefined" => value is JinjaUndefined,
            "none" => value is null,
            "string" => value is string,
            "mapping" => value is Dictionary<string, object?>,
            "iterable" => value is string or List<object?> or Dictionary<string, object?>,
            "sequence" => value is string or List<object?> or Dictionary<string, object?>,
            "number" => value is long or double or bool,
            "integer" => value is long,
            "float" => value is double,
            "boolean" => value is bool,
            "true" => value is true,
            "false" => value is false,
            "equalto" or "eq" => Equal(value, Arg(0)),
            "ne" => !Equal(value, Arg(0)),
            "sameas" => value is null || value is bool ? Equal(value, Arg(0)) && (Arg(0) is null || Arg(0) is bool) : ReferenceEquals(value, Arg(0)),
            "odd" => ToInt(value, 0L) is long o && o % 2 != 0,
            "even" => ToInt(value, 0L) is long e && e % 2 == 0,
            "divisibleby" => ToInt(value, 0L) is long n && ToInt(Arg(0), 1L) is long m && m != 0 && n % m == 0,
            "in" => JinjaFunctions.Contains(Arg(0), value),
            "callable" => value is JinjaCallable,
            "lower" => value is string ls && ls == ls.ToLowerInvariant(),
            "upper" => value is string us && us == us.ToUpperInvariant(),
            _ => throw new JinjaRuntimeError($"unsupported test '{name}'"),
        };
    }

    /// <summary>select/reject: <paramref name="args"/>[from] names a test (truthiness when absent), later items are its arguments.</summary>
    private static bool Passes(object? value, IReadOnlyList<object?> args, int from)
    {
        if (args.Count <= from)
            return Truthy(value);
        var test = Str(args[from]);
        if (!TestNames.Contains(test))
            throw new JinjaRuntimeError($"unsupported test '{test}'");
        return Test(test, value, args.Skip(from + 1).ToList());
    }

    private static List<object?> Sequence(object? value, string filter) =>
        Iterate(value) ?? throw new JinjaRuntimeError($"filter '{filter}' expects a sequence, not a {TypeName(value)}");

    private static object? ToInt(object? value, object? fallback) => value switch
    {
        long l => l,
        bool b => b ? 1L : 0L,
        double d => (long)Math.Truncate(d),
        string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var f) => (long)Math.Truncate(f),
        _ => fallback,
    };
}

/// <summary>transformers' <c>tojson</c>: Python's <c>json.dumps(x, ensure_ascii=False, indent=indent)</c>, so <c>", "</c> and <c>": "</c> separators.</summary>
internal static class JinjaJson
{
    public static string Dumps(object? value, int? indent)
    {
        var text = new StringBuilder();
        Write(text, value, indent, 0);
        return text.ToString();
    }

    private static void Write(StringBuilder text, object? value, int? indent, int depth)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case long or double:
                text.Append(Repr(value));
                break;
            case string s:
                String(text, s);
                break;
            case List<object?> list:
                Container(text, '[', ']', list.Count, indent, depth, i => Write(text, list[i], indent, depth + 1));
                break;
            case Dictionary<string, object?> dict:
                var pairs = dict.ToList();
                Container(text, '{', '}', pairs.Count, indent, depth, i =>
                {
                    String(text, pairs[i].Key);
                    text.Append(": ");
                    Write(text, pairs[i].Value, indent, depth + 1);
                });
                break;
            case JinjaNamespace ns:
                Write(text, ns.Values, indent, depth);
                break;
            default:
                throw new JinjaRuntimeError($"tojson cannot write a {TypeName(value)}");
        }
    }

    private static void Container(StringBuilder text, char open, char close, int count, int? indent, int depth, Action<int> item)
    {
        text.Append(open);
        if (count == 0)
        {
            text.Append(close);
            return;
        }

        for (var i = 0; i < count; i++)
        {
            if (indent is { } n)
                text.Append(i == 0 ? "\n" : ",\n").Append(' ', n * (depth + 1));
            else if (i > 0)
                text.Append(", ");
            item(i);
        }

        if (indent is { } m)
            text.Append('\n').Append(' ', m * depth);
        text.Append(close);
    }

    private static void String(StringBuilder text, string s)
    {
        text.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < 0x20)
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        text.Append(c);
                    break;
            }
        }

        text.Append('"');
    }
}
