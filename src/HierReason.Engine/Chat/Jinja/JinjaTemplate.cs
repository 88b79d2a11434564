namespace HierReason.Engine.Chat.Jinja;

/// <summary>
/// A Jinja template in the subset chat templates use, parsed once and rendered many times, with the settings
/// transformers renders chat templates with (trim_blocks, lstrip_blocks, loop controls, no autoescape).
/// </summary>
public sealed class JinjaTemplate
{
    private readonly string _source;
    private readonly string _text;
    private readonly IReadOnlyList<JinjaNode> _nodes;

    private JinjaTemplate(string source, string text, IReadOnlyList<JinjaNode> nodes)
    {
        _source = source;
        _text = text;
        _nodes = nodes;
    }

    /// <summary>The template text (line endings normalised to <c>\n</c>, as Jinja does).</summary>
    public string Text => _text;

    /// <summary>Parses <paramref name="text"/>; anything outside the subset is a <see cref="JinjaException"/> naming
    /// <paramref name="source"/> (the file the template came from), the line, the column and the construct.</summary>
    public static JinjaTemplate Parse(string text, string source)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var pieces = new JinjaLexer(source, text).Lex();
        return new JinjaTemplate(source, text, new JinjaParser(source, text, pieces).Parse());
    }

    /// <summary>Renders with <paramref name="variables"/> (strings, bools, longs, doubles, null, lists and string-keyed
    /// dictionaries of those, or JSON elements); <c>raise_exception</c>, <c>namespace</c>, <c>range</c>, <c>dict</c> and
    /// <c>strftime_now</c> (local time) are always there.</summary>
    public string Render(IReadOnlyDictionary<string, object?> variables, Func<DateTime>? now = null)
    {
        var globals = JinjaFunctions.Globals(now ?? (() => DateTime.Now));
        foreach (var (k, v) in variables)
            globals[k] = Convert(v);
        return new JinjaRenderer(_source, _text).Render(_nodes, globals);
    }

    private static object? Convert(object? value) => value switch
    {
        System.Text.Json.JsonElement e => JinjaValues.FromJson(e),
        int i => (long)i,
        float f => (double)f,
        IReadOnlyDictionary<string, object?> d when value is not Dictionary<string, object?> => d.ToDictionary(p => p.Key, p => Convert(p.Value)),
        Dictionary<string, object?> d => d.ToDictionary(p => p.Key, p => Convert(p.Value)),
        IEnumerable<object?> list when value is not string => list.Select(Convert).ToList(),
        _ => value,
    };
}
