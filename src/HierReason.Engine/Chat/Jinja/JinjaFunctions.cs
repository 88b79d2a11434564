using System.Globalization;
using System.Text;
using static HierReason.Engine.Chat.Jinja.JinjaValues;

namespace HierReason.Engine.Chat.Jinja;

/// <summary>The names the parser accepts: filters, tests, global functions and methods.</summary>
internal static class JinjaBuiltins
{
    public static IReadOnlyList<string> Filters => JinjaFilters.Names;

    public static IReadOnlyList<string> Tests => JinjaFilters.TestNames;

    public static readonly IReadOnlyList<string> Globals = ["raise_exception", "namespace", "range", "strftime_now", "dict"];

    public static readonly IReadOnlyList<string> Methods =
    [
        "strip", "lstrip", "rstrip", "split", "startswith", "endswith", "upper", "lower", "title", "capitalize", "replace",
        "find", "join", "items", "keys", "values", "get",
    ];
}

/// <summary>Attribute and item access, membership, the global functions and the string/dict methods, as Python has them.</summary>
internal static class JinjaFunctions
{
    private static readonly string[] DictMethods = ["items", "keys", "values", "get"];

    /// <summary>The functions every template sees; <paramref name="now"/> feeds <c>strftime_now</c>.</summary>
    public static Dictionary<string, object?> Globals(Func<DateTime> now) => new()
    {
        ["raise_exception"] = (JinjaCallable)((args, _) =>
            throw new JinjaRuntimeError("the template raised an error: " + (args.Count > 0 ? Str(args[0]) : ""))),
        ["namespace"] = (JinjaCallable)((args, kwargs) =>
        {
            var values = args.Count > 0 && args[0] is Dictionary<string, object?> d ? new Dictionary<string, object?>(d) : [];
            foreach (var (k, v) in kwargs)
                values[k] = v;
            return new JinjaNamespace(values);
        }),
        ["dict"] = (JinjaCallable)((_, kwargs) => new Dictionary<string, object?>(kwargs)),
        ["range"] = (JinjaCallable)((args, _) => Range(args)),
        ["strftime_now"] = (JinjaCallable)((args, _) => Strftime(now(), args.Count > 0 ? Str(args[0]) : "")),
    };

    /// <summary><c>x.name</c>: a method of a string or dict, else a dict key or namespace attribute, else undefined.</summary>
    public static object? GetAttribute(object? target, string name)
    {
        switch (target)
        {
            case JinjaUndefined u:
                throw new JinjaRuntimeError($"'{u.Name}' is undefined (reading its attribute '{name}')");
            case Dictionary<string, object?> dict:
                if (DictMethods.Contains(name))
                    return Method(dict, name);
                return dict.TryGetValue(name, out var value) ? value : new JinjaUndefined(name);
            case string s when JinjaBuiltins.Methods.Contains(name) && !DictMethods.Contains(name):
                return Method(s, name);
            case JinjaNamespace ns:
                return ns.Values.TryGetValue(name, out var nv) ? nv : new JinjaUndefined(name);
            default:
                return new JinjaUndefined(name);
        }
    }

    /// <summary><c>x[key]</c>: a dict key, or a list/string position (negative counts from the end); missing is undefined.</summary>
    public static object? GetItem(object? target, object? key)
    {
        switch (target)
        {
            case JinjaUndefined u:
                throw new JinjaRuntimeError($"'{u.Name}' is undefined (reading its item [{Repr(key)}])");
            case Dictionary<string, object?> dict when key is string k:
                return dict.TryGetValue(k, out var value) ? value : new JinjaUndefined(k);
            case List<object?> list when key is long or bool:
                var i = (long)ToDouble(key);
                if (i < 0) i += list.Count;
                return i >= 0 && i < list.Count ? list[(int)i] : new JinjaUndefined($"[{key}]");
            case string s when key is long or bool:
                var runes = s.EnumerateRunes().ToList();
                var j = (long)ToDouble(key);
                if (j < 0) j += runes.Count;
                return j >= 0 && j < runes.Count ? runes[(int)j].ToString() : new JinjaUndefined($"[{key}]");
            case JinjaNamespace when key is string name:
                return GetAttribute(target, name);
            default:
                return new JinjaUndefined(Str(key));
        }
    }

    /// <summary>Python's <c>x[start:stop:step]</c> on a list or string.</summary>
    public static object? Slice(object? target, object? start, object? stop, object? step)
    {
        long? Index(object? v, string what) => v switch
        {
            null or JinjaUndefined => null,
            long l => l,
            bool b => b ? 1 : 0,
            _ => throw new JinjaRuntimeError($"slice {what} must be an integer, not a {TypeName(v)}"),
        };

        var items = target switch
        {
            List<object?> list => list,
            string s => s.EnumerateRunes().Select(r => (object?)r.ToString()).ToList(),
            JinjaUndefined u => throw new JinjaRuntimeError($"'{u.Name}' is undefined (slicing it)"),
            _ => throw new JinjaRuntimeError($"cannot slice a {TypeName(target)}"),
        };
        var n = items.Count;
        var by = Index(step, "step") ?? 1;
        if (by == 0)
            throw new JinjaRuntimeError("slice step cannot be zero");
        long Clamp(long? v, long fallback, long low, long high)
        {
            if (v is not { } x) return fallback;
            if (x < 0) x += n;
            return Math.Clamp(x, low, high);
        }

        var picked = new List<object?>();
        if (by > 0)
        {
            for (var i = Clamp(Index(start, "start"), 0, 0, n); i < Clamp(Index(stop, "stop"), n, 0, n); i += by)
                picked.Add(items[(int)i]);
        }
        else
        {
            for (var i = Clamp(Index(start, "start"), n - 1, -1, n - 1); i > Clamp(Index(stop, "stop"), -1, -1, n - 1); i += by)
                picked.Add(items[(int)i]);
        }

        return target is string ? string.Concat(picked.Select(x => (string)x!)) : picked;
    }

    /// <summary>Python's <c>item in container</c>.</summary>
    public static bool Contains(object? container, object? item) => container switch
    {
        string s when item is string sub => s.Contains(sub, StringComparison.Ordinal),
        string => throw new JinjaRuntimeError($"'in <string>' needs a string on the left, not a {TypeName(item)}"),
        List<object?> list => list.Any(x => Equal(x, item)),
        Dictionary<string, object?> dict => item is string key && dict.ContainsKey(key),
        JinjaUndefined u => throw new JinjaRuntimeError($"'{u.Name}' is undefined (testing membership in it)"),
        _ => throw new JinjaRuntimeError($"'in' needs a string, list or dict on the right, not a {TypeName(container)}"),
    };

    public static string Capitalize(string s) =>
        s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    /// <summary>Python's <c>str.title()</c>: a letter after a non-letter is upper-cased, others lower-cased.</summary>
    public static string Title(string s)
    {
        var text = new StringBuilder(s.Length);
        var previousIsLetter = false;
        foreach (var c in s)
        {
            text.Append(previousIsLetter ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
            previousIsLetter = char.IsLetter(c);
        }

        return text.ToString();
    }

    public static string Replace(string s, string old, string replacement, object? count)
    {
        if (count is not long max || max < 0)
            return old.Length == 0 ? string.Join(replacement, s.Select(c => c.ToString()).Prepend("").Append("")) : s.Replace(old, replacement, StringComparison.Ordinal);
        var text = new StringBuilder();
        var pos = 0;
        for (var done = 0L; done < max && old.Length > 0; done++)
        {
            var at = s.IndexOf(old, pos, StringComparison.Ordinal);
            if (at < 0) break;
            text.Append(s, pos, at - pos).Append(replacement);
            pos = at + old.Length;
        }

        return text.Append(s, pos, s.Length - pos).ToString();
    }

    private static JinjaCallable Method(Dictionary<string, object?> dict, string name) => (args, _) => name switch
    {
        "items" => dict.Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList(),
        "keys" => dict.Keys.Select(k => (object?)k).ToList(),
        "values" => dict.Values.ToList(),
        _ => args.Count > 0 && args[0] is string key && dict.TryGetValue(key, out var v) ? v : args.Count > 1 ? args[1] : null,
    };

    private static JinjaCallable Method(string s, string name) => (args, kwargs) =>
    {
        string Arg(int i) => i < args.Count ? Str(args[i]) : throw new JinjaRuntimeError($"'.{name}()' needs an argument");
        char[]? Chars() => args.Count > 0 && args[0] is string c ? c.ToCharArray() : null;
        return name switch
        {
            "strip" => Chars() is { } c1 ? s.Trim(c1) : s.Trim(),
            "lstrip" => Chars() is { } c2 ? s.TrimStart(c2) : s.TrimStart(),
            "rstrip" => Chars() is { } c3 ? s.TrimEnd(c3) : s.TrimEnd(),
            "split" => Split(s, args.Count > 0 ? args[0] : kwargs.GetValueOrDefault("sep"), args.Count > 1 ? args[1] : kwargs.GetValueOrDefault("maxsplit")),
            "startswith" => args.Count > 0 && args[0] is List<object?> starts ? starts.Any(p => s.StartsWith(Str(p), StringComparison.Ordinal)) : s.StartsWith(Arg(0), StringComparison.Ordinal),
            "endswith" => args.Count > 0 && args[0] is List<object?> ends ? ends.Any(p => s.EndsWith(Str(p), StringComparison.Ordinal)) : s.EndsWith(Arg(0), StringComparison.Ordinal),
            "upper" => s.ToUpperInvariant(),
            "lower" => s.ToLowerInvariant(),
            "title" => Title(s),
            "capitalize" => Capitalize(s),
            "replace" => Replace(s, Arg(0), Arg(1), args.Count > 2 ? args[2] : null),
            "find" => (long)s.IndexOf(Arg(0), StringComparison.Ordinal),
            "join" => string.Join(s, (Iterate(args.Count > 0 ? args[0] : null) ?? []).Select(Str)),
            _ => throw new JinjaRuntimeError($"strings have no method '{name}'"),
        };
    };

    /// <summary>Python's <c>str.split(sep=None, maxsplit=-1)</c>: no separator splits on runs of whitespace.</summary>
    private static List<object?> Split(string s, object? sep, object? maxsplit)
    {
        var max = maxsplit is long m && m >= 0 ? (int)m + 1 : int.MaxValue;
        if (sep is null or JinjaUndefined)
        {
            var parts = new List<object?>();
            var i = 0;
            while (true)
            {
                while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
                if (i >= s.Length) return parts;
                if (parts.Count == max - 1)
                {
                    parts.Add(s[i..]);
                    return parts;
                }

                var wordStart = i;
                while (i < s.Length && !char.IsWhiteSpace(s[i])) i++;
                parts.Add(s[wordStart..i]);
            }
        }

        var separator = Str(sep);
        if (separator.Length == 0)
            throw new JinjaRuntimeError("split: empty separator");
        return s.Split(separator, max).Select(p => (object?)p).ToList();
    }

    private static List<object?> Range(IReadOnlyList<object?> args)
    {
        long At(int i) => args[i] is long l ? l : throw new JinjaRuntimeError("range() takes integers");
        var (start, stop, step) = args.Count switch
        {
            1 => (0L, At(0), 1L),
            2 => (At(0), At(1), 1L),
            3 => (At(0), At(1), At(2)),
            _ => throw new JinjaRuntimeError("range() takes 1 to 3 arguments"),
        };
        if (step == 0)
            throw new JinjaRuntimeError("range() step cannot be zero");
        var items = new List<object?>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
            items.Add(i);
        return items;
    }

    /// <summary>Python's <c>strftime</c> for the directives chat templates use (%d %m %Y %y %b %B %a %A %H %I %M %S %p %j %-d %%).</summary>
    public static string Strftime(DateTime now, string format)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                text.Append(format[i]);
                continue;
            }

            var code = format[++i];
            if (code == '-' && i + 1 < format.Length)
            {
                code = format[++i];
                text.Append(code switch
                {
                    'd' => now.Day.ToString(inv),
                    'm' => now.Month.ToString(inv),
                    'H' => now.Hour.ToString(inv),
                    _ => throw new JinjaRuntimeError($"strftime_now: unsupported directive '%-{code}'"),
                });
                continue;
            }

            text.Append(code switch
            {
                'd' => now.ToString("dd", inv),
                'm' => now.ToString("MM", inv),
                'Y' => now.ToString("yyyy", inv),
                'y' => now.ToString("yy", inv),
                'b' => now.ToString("MMM", inv),
                'B' => now.ToString("MMMM", inv),
                'a' => now.ToString("ddd", inv),
                'A' => now.ToString("dddd", inv),
                'H' => now.ToString("HH", inv),
                'I' => now.ToString("hh", inv),
                'M' => now.ToString("mm", inv),
                'S' => now.ToString("ss", inv),
                'p' => now.Hour < 12 ? "AM" : "PM",
                'j' => now.DayOfYear.ToString("000", inv),
                '%' => "%",
                _ => throw new JinjaRuntimeError($"strftime_now: unsupported directive '%{code}'"),
            });
        }

        return text.ToString();
    }
}
