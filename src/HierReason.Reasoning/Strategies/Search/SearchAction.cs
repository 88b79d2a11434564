using System.Text.RegularExpressions;

namespace HierReason.Reasoning.Strategies.Search;

/// <summary>A turn's action and the text inside its tags.</summary>
public readonly record struct SearchAction(SearchActionKind Kind, string Content)
{
    public const string SearchOpen = "<search>";
    public const string SearchClose = "</search>";
    public const string InformationOpen = "<information>";
    public const string InformationClose = "</information>";

    /// <summary>Search-R1's text after a turn with neither a search nor an answer (inserted as a masked environment segment).</summary>
    public const string InvalidText = "\nMy previous action is invalid. If I want to search, I should put the query between <search> and </search>. " +
        "If I want to give the final answer, I should put the answer between <answer> and </answer>. Let me try again.\n";

    // Search-R1's postprocess_predictions: the first well-formed <search>…</search> or <answer>…</answer> decides.
    private static readonly Regex Action = new(@"<(search|answer)>(.*?)</\1>", RegexOptions.Singleline | RegexOptions.CultureInvariant);
    // A backend's stop string cuts the closing tag off: an open tag running to the end of the text counts as closed.
    private static readonly Regex Unclosed = new(@"<(search|answer)>((?:(?!<(?:search|answer)>).)*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant);

    /// <summary>The action of <paramref name="text"/>; an empty query or answer is invalid.</summary>
    public static SearchAction Parse(string text, bool allowUnclosed = false)
    {
        var m = Action.Match(text);
        if (!m.Success && allowUnclosed) m = Unclosed.Match(text);
        if (!m.Success || m.Groups[2].Value.Trim().Length == 0) return new(SearchActionKind.Invalid, "");
        return new(m.Groups[1].Value == "search" ? SearchActionKind.Search : SearchActionKind.Answer, m.Groups[2].Value.Trim());
    }

    /// <summary>What the thinker reads after a search: Search-R1's <c>\n\n&lt;information&gt;…&lt;/information&gt;\n\n</c>.</summary>
    public static string Information(string content) => "\n\n" + InformationOpen + content.Trim() + InformationClose + "\n\n";
}
