namespace HierReason.Engine.Chat.Jinja;

/// <summary>A chat template that cannot be parsed or rendered: the message names the source, line and column.</summary>
public sealed class JinjaException(string message) : EngineException(message)
{
    /// <summary>Builds the message <c>source:line:column: what</c> for an offset in <paramref name="text"/>.</summary>
    public static JinjaException At(string source, string text, int offset, string what)
    {
        var (line, column) = LineColumn(text, offset);
        return new JinjaException($"{source}: chat template line {line}, column {column}: {what}");
    }

    /// <summary>The 1-based line and column of <paramref name="offset"/>.</summary>
    public static (int Line, int Column) LineColumn(string text, int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }
}
