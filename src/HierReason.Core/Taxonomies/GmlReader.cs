using System.Globalization;
using System.Net;
using System.Text;

namespace HierReason.Core.Taxonomies;

/// <summary>
/// Reads GML as networkx writes it (<c>graph [ directed 1 node [ id 0 label "…" ] edge [ source 0 target 1 ] ]</c>):
/// keys, numbers, quoted strings with HTML character references (<c>&amp;#34;</c>, <c>&amp;quot;</c>) and nested
/// <c>[ ]</c> lists. Keys other than a node's id, label and description and an edge's source and target are read and ignored.
/// A syntax error names the file, line and column.
/// </summary>
public static class GmlReader
{
    /// <summary>Reads the first <c>graph [ … ]</c> of <paramref name="text"/>; <paramref name="file"/> names the source in errors.</summary>
    public static GmlGraph Read(string text, string file)
    {
        var parser = new Parser(text, file);
        var top = parser.ReadList(topLevel: true);
        var graph = top.FirstOrDefault(e => e.Key == "graph");
        if (graph is null) throw new HierReasonException($"{file}: expected a 'graph [ … ]' block; found none");
        if (graph.Value is not List<Entry> entries) throw Error(file, graph, "a list after 'graph'", "a single value");

        var nodes = new List<GmlNode>();
        var edges = new List<GmlEdge>();
        var seen = new Dictionary<long, GmlNode>();
        foreach (var entry in entries)
        {
            if (entry.Key == "node")
            {
                var fields = Fields(entry, file);
                var id = Integer(fields, "id", entry, file);
                var node = new GmlNode(id, Text(fields, "label", file), entry.Line) { Description = Text(fields, "description", file) };
                if (!seen.TryAdd(id, node)) throw Error(file, fields["id"], "a unique node id", $"{id}, also the id of the node at line {seen[id].Line}");
                nodes.Add(node);
            }
            else if (entry.Key == "edge")
            {
                var fields = Fields(entry, file);
                edges.Add(new GmlEdge(Integer(fields, "source", entry, file), Integer(fields, "target", entry, file), entry.Line));
            }
        }
        foreach (var edge in edges)
            foreach (var end in new[] { edge.Source, edge.Target })
                if (!seen.ContainsKey(end))
                    throw new HierReasonException($"{file}:{edge.Line}: expected an edge between declared nodes; found node {end}, which no 'node [ id {end} … ]' declares");
        return new GmlGraph(nodes, edges);
    }

    private static Dictionary<string, Entry> Fields(Entry entry, string file)
    {
        if (entry.Value is not List<Entry> list) throw Error(file, entry, $"a list after '{entry.Key}'", "a single value");
        var fields = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var e in list) fields.TryAdd(e.Key, e);
        return fields;
    }

    private static string? Text(Dictionary<string, Entry> fields, string key, string file) =>
        !fields.TryGetValue(key, out var e) ? null : e.Value switch
        {
            string s => s,
            double d => d.ToString(CultureInfo.InvariantCulture),
            _ => throw Error(file, e, $"a {key} string", "a list"),
        };

    private static long Integer(Dictionary<string, Entry> fields, string key, Entry owner, string file)
    {
        if (!fields.TryGetValue(key, out var e)) throw Error(file, owner, $"'{key}' in this {owner.Key}", "none");
        if (e.Value is double d && d == Math.Floor(d) && Math.Abs(d) < 1e15) return (long)d;
        throw Error(file, e, $"an integer {key}", e.Value is string s ? $"\"{s}\"" : e.Value is double n ? n.ToString(CultureInfo.InvariantCulture) : "a list");
    }

    private static HierReasonException Error(string file, Entry at, string expected, string found) =>
        new($"{file}:{at.Line}:{at.Column}: expected {expected}; found {found}");

    /// <summary>One <c>key value</c> pair: the value is a number (double), a string, or a nested list.</summary>
    private sealed record Entry(string Key, object Value, int Line, int Column);

    private sealed class Parser(string text, string file)
    {
        private int _pos;
        private int _line = 1;
        private int _column = 1;

        public List<Entry> ReadList(bool topLevel)
        {
            var entries = new List<Entry>();
            while (true)
            {
                SkipSpaceAndComments();
                if (_pos >= text.Length)
                {
                    if (topLevel) return entries;
                    throw Syntax("a key or ']'", "the end of the file (an unclosed '[')");
                }
                if (text[_pos] == ']')
                {
                    if (topLevel) throw Syntax("a key", "']' with no '[' to close");
                    Advance();
                    return entries;
                }
                var (line, column) = (_line, _column);
                var key = ReadKey();
                SkipSpaceAndComments();
                entries.Add(new Entry(key, ReadValue(key), line, column));
            }
        }

        private string ReadKey()
        {
            var start = _pos;
            if (!(char.IsAsciiLetter(text[_pos]) || text[_pos] == '_')) throw Syntax("a key (a name such as node, id, label)", Describe(text[_pos]));
            while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_')) Advance();
            return text[start.._pos];
        }

        private object ReadValue(string key)
        {
            if (_pos >= text.Length) throw Syntax($"a value for '{key}'", "the end of the file");
            var c = text[_pos];
            if (c == '[')
            {
                Advance();
                return ReadList(topLevel: false);
            }
            if (c == '"') return ReadString();
            if (c is '-' or '+' or '.' || char.IsAsciiDigit(c)) return ReadNumber();
            throw Syntax($"a value for '{key}' (a number, a quoted string or a [ list ])", Describe(c));
        }

        private string ReadString()
        {
            var (line, column) = (_line, _column);
            Advance();
            var sb = new StringBuilder();
            while (_pos < text.Length && text[_pos] != '"')
            {
                sb.Append(text[_pos]);
                Advance();
            }
            if (_pos >= text.Length)
                throw new HierReasonException($"{file}:{line}:{column}: expected a closing '\"' for the string that starts here; found the end of the file");
            Advance();
            // networkx escapes '"', '&' and non-ASCII as character references and reads them back with html.unescape.
            return WebUtility.HtmlDecode(sb.ToString());
        }

        private double ReadNumber()
        {
            var (line, column) = (_line, _column);
            var start = _pos;
            while (_pos < text.Length && (char.IsAsciiDigit(text[_pos]) || text[_pos] is '-' or '+' or '.' or 'e' or 'E')) Advance();
            var token = text[start.._pos];
            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
            throw new HierReasonException($"{file}:{line}:{column}: expected a number; found '{token}'");
        }

        private void SkipSpaceAndComments()
        {
            while (_pos < text.Length)
            {
                if (char.IsWhiteSpace(text[_pos])) Advance();
                else if (text[_pos] == '#')
                    while (_pos < text.Length && text[_pos] != '\n') Advance();
                else return;
            }
        }

        private void Advance()
        {
            if (text[_pos] == '\n')
            {
                _line++;
                _column = 1;
            }
            else _column++;
            _pos++;
        }

        private HierReasonException Syntax(string expected, string found) => new($"{file}:{_line}:{_column}: expected {expected}; found {found}");

        private static string Describe(char c) => char.IsControl(c) ? $"the character U+{(int)c:X4}" : $"'{c}'";
    }
}
