using HierReason.Retrieval.Corpus;

namespace HierReason.Retrieval;

/// <summary>Search-R1's text for retrieved passages, as its <c>_passages2string</c> writes it (what a searcher model reads).</summary>
public static class SearchR1Format
{
    /// <summary>
    /// <c>Doc 1(Title: &lt;title line&gt;) &lt;text&gt;\nDoc 2(Title: …) …\n</c>: the title is the contents' first line as it
    /// stands (quotes kept), the text the remaining lines joined by '\n'; every passage ends with '\n'.
    /// </summary>
    public static string Passages(IEnumerable<RetrievedDocument> hits)
    {
        var text = new System.Text.StringBuilder();
        var i = 0;
        foreach (var hit in hits)
        {
            var contents = hit.Document.Contents;
            var newline = contents.IndexOf('\n', StringComparison.Ordinal);
            var title = newline < 0 ? contents : contents[..newline];
            var body = newline < 0 ? "" : contents[(newline + 1)..];
            text.Append("Doc ").Append(++i).Append("(Title: ").Append(title).Append(") ").Append(body).Append('\n');
        }
        return text.ToString();
    }
}
