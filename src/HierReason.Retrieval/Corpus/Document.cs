namespace HierReason.Retrieval.Corpus;

/// <summary>
/// One retrievable passage. <see cref="Contents"/> is Search-R1's corpus field as served by <c>/retrieve</c>: the title
/// line (conventionally quoted, <c>"Title"</c>) then the text; <see cref="Title"/> is the title without quotes.
/// </summary>
public sealed record Document(string Id, string Title, string Contents)
{
    /// <summary>A document from a title and a body, in Search-R1's layout: <c>"Title"\ntext</c>.</summary>
    public static Document FromTitleAndText(string id, string title, string text) => new(id, title, $"\"{title}\"\n{text}");

    /// <summary>The contents after the title line (all of it when there is no line break), as Search-R1 splits it.</summary>
    public string Text
    {
        get
        {
            var newline = Contents.IndexOf('\n', StringComparison.Ordinal);
            return newline < 0 ? "" : Contents[(newline + 1)..];
        }
    }

    /// <summary>The title line of Search-R1 contents, less surrounding quotes and whitespace.</summary>
    public static string TitleOf(string contents)
    {
        var newline = contents.IndexOf('\n', StringComparison.Ordinal);
        var line = (newline < 0 ? contents : contents[..newline]).Trim();
        return line.Length >= 2 && line[0] == '"' && line[^1] == '"' ? line[1..^1].Trim() : line;
    }
}
