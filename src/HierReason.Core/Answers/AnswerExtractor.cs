namespace HierReason.Core.Answers;

/// <summary>
/// Pulls the final answer out of a completion: <c>&lt;think&gt;…&lt;/think&gt;</c> blocks are removed,
/// then the content of the last complete <c>&lt;answer&gt;…&lt;/answer&gt;</c> pair is returned,
/// trimmed, or null. Linear in the completion's length; never throws.
/// </summary>
public static class AnswerExtractor
{
    public const string Open = "<answer>";
    public const string Close = "</answer>";
    private const string ThinkOpen = "<think>";
    private const string ThinkClose = "</think>";

    public static string? Extract(string? completion)
    {
        if (string.IsNullOrEmpty(completion)) return null;
        var text = StripThinking(completion.AsSpan());
        return LastAnswer(text, out var content) ? content.Trim().ToString() : null;
    }

    /// <summary>
    /// True when, outside thinking, the completion has exactly one <c>&lt;answer&gt;</c> and one
    /// <c>&lt;/answer&gt;</c>, in that order, around non-blank content.
    /// </summary>
    public static bool IsWellFormed(string? completion)
    {
        if (string.IsNullOrEmpty(completion)) return false;
        var text = StripThinking(completion.AsSpan());
        var open = text.IndexOf(Open, StringComparison.Ordinal);
        if (open < 0) return false;
        var afterOpen = text[(open + Open.Length)..];
        var close = afterOpen.IndexOf(Close, StringComparison.Ordinal);
        if (close < 0) return false;
        var content = afterOpen[..close];
        var rest = afterOpen[(close + Close.Length)..];
        return !content.IsWhiteSpace()
               && content.IndexOf(Open, StringComparison.Ordinal) < 0
               && rest.IndexOf(Open, StringComparison.Ordinal) < 0
               && rest.IndexOf(Close, StringComparison.Ordinal) < 0;
    }

    /// <summary>
    /// Removes thinking: complete <c>&lt;think&gt;…&lt;/think&gt;</c> blocks; text before a lone
    /// <c>&lt;/think&gt;</c> (templates that open thinking in the prompt); text after a lone
    /// <c>&lt;think&gt;</c> (thinking that never finished).
    /// </summary>
    public static ReadOnlySpan<char> StripThinking(ReadOnlySpan<char> text)
    {
        if (text.IndexOf("think>", StringComparison.Ordinal) < 0) return text;

        // A close tag with no open tag before it: everything up to it was thinking.
        var firstOpen = text.IndexOf(ThinkOpen, StringComparison.Ordinal);
        var firstClose = text.IndexOf(ThinkClose, StringComparison.Ordinal);
        if (firstClose >= 0 && (firstOpen < 0 || firstClose < firstOpen))
            text = text[(firstClose + ThinkClose.Length)..];

        var sb = new System.Text.StringBuilder(text.Length);
        while (true)
        {
            var open = text.IndexOf(ThinkOpen, StringComparison.Ordinal);
            if (open < 0)
            {
                sb.Append(text);
                break;
            }
            sb.Append(text[..open]);
            var rest = text[(open + ThinkOpen.Length)..];
            var close = rest.IndexOf(ThinkClose, StringComparison.Ordinal);
            if (close < 0) break; // unfinished thinking: drop the rest
            text = rest[(close + ThinkClose.Length)..];
        }
        return sb.ToString().AsSpan();
    }

    /// <summary>
    /// The last complete pair: for each <c>&lt;answer&gt;</c>, its pair is the first
    /// <c>&lt;/answer&gt;</c> after it, so nested tags yield the innermost content and an unclosed
    /// final tag falls back to the previous complete pair. One forward scan.
    /// </summary>
    private static bool LastAnswer(ReadOnlySpan<char> text, out ReadOnlySpan<char> content)
    {
        content = default;
        var found = false;
        var pos = 0;
        var close = -2; // -2: not searched yet; -1: none left
        while (true)
        {
            var rel = text[pos..].IndexOf(Open, StringComparison.Ordinal);
            if (rel < 0) break;
            var start = pos + rel + Open.Length;
            if (close != -1 && close < start)
            {
                var c = text[start..].IndexOf(Close, StringComparison.Ordinal);
                close = c < 0 ? -1 : start + c;
            }
            if (close == -1) break;
            content = text[start..close];
            found = true;
            pos = start;
        }
        return found;
    }
}
