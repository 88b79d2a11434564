using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HierReason.MSBuild;

/// <summary>A 1-based line and column in a text file, as IDEs show them.</summary>
public readonly record struct TextPosition(int Line, int Column);

/// <summary>
/// Maps JSON paths (<c>$.tasks[1].task</c>, as <see cref="HierReason.Core.ConfigException"/> names them) to where they
/// are in a file: one pass of <see cref="Utf8JsonReader"/> records the start of every property name and array element.
/// </summary>
public sealed partial class JsonPositions
{
    private readonly Dictionary<string, TextPosition> _positions = new(StringComparer.Ordinal);
    private readonly TextPosition? _syntaxError;

    private JsonPositions(TextPosition? syntaxError) => _syntaxError = syntaxError;

    public static JsonPositions Of(byte[] utf8)
    {
        var offset = utf8.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var text = utf8.AsMemory(offset);
        var lines = new LineIndex(text.Span);
        var reader = new Utf8JsonReader(text.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var found = new JsonPositions(null);
        var frames = new Stack<(string Path, bool IsArray, int Next)>();
        string? propertyPath = null;
        try
        {
            while (reader.Read())
            {
                var at = lines.Position((int)reader.TokenStartIndex);
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        propertyPath = frames.Peek().Path + "." + reader.GetString();
                        found._positions.TryAdd(propertyPath, at);
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.Pop();
                        continue;
                }
                string path;
                if (frames.Count == 0) path = "$";
                else if (frames.Peek().IsArray)
                {
                    var (parent, _, next) = frames.Pop();
                    frames.Push((parent, true, next + 1));
                    path = $"{parent}[{next}]";
                }
                else path = propertyPath!;
                found._positions.TryAdd(path, at);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    frames.Push((path, reader.TokenType == JsonTokenType.StartArray, 0));
            }
        }
        catch (JsonException e)
        {
            var error = new JsonPositions(new TextPosition((int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1));
            foreach (var (k, v) in found._positions) error._positions[k] = v;
            return error;
        }
        return found;
    }

    /// <summary>Where <paramref name="jsonPath"/> is, else its nearest enclosing element that exists (a missing field points at its object).</summary>
    public TextPosition Locate(string jsonPath)
    {
        if (_syntaxError is { } syntax && jsonPath == "$") return syntax;
        for (var path = jsonPath; path.Length > 0; path = Parent(path))
            if (_positions.TryGetValue(path, out var position)) return position;
        return _syntaxError ?? new TextPosition(1, 1);
    }

    private static string Parent(string path)
    {
        var m = LastSegment().Match(path);
        return m.Success && m.Index > 0 ? path[..m.Index] : "";
    }

    [GeneratedRegex(@"(\.[^.\[\]]+|\[[0-9]+\])$")]
    private static partial Regex LastSegment();

    /// <summary>Byte offset → line and column (columns count characters, not bytes).</summary>
    private sealed class LineIndex
    {
        private readonly List<int> _starts = [0];
        private readonly byte[] _text;

        public LineIndex(ReadOnlySpan<byte> text)
        {
            _text = text.ToArray();
            for (var i = 0; i < text.Length; i++)
                if (text[i] == (byte)'\n') _starts.Add(i + 1);
        }

        public TextPosition Position(int offset)
        {
            var line = _starts.BinarySearch(offset);
            if (line < 0) line = ~line - 1;
            var column = Encoding.UTF8.GetCharCount(_text, _starts[line], offset - _starts[line]) + 1;
            return new TextPosition(line + 1, column);
        }
    }
}
