using HierReason.Core.Answers;

namespace HierReason.Core.Steps;

/// <summary>
/// Steps are lines: splitting a completion into them, and reading a line's content the same way
/// in every checker (whitespace and the answer and thinking tags around it removed).
/// </summary>
public static class StepLines
{
    private const string ThinkOpen = "<think>";
    private const string ThinkClose = "</think>";

    /// <summary>The completion's lines, split at <c>\n</c> (TRL's PRMTrainer step separator); a <c>\r</c> stays and reads as whitespace.</summary>
    public static string[] Split(string? completion) => (completion ?? "").Split('\n');

    /// <summary>The line without surrounding whitespace and without answer or thinking tags at either end.</summary>
    public static ReadOnlySpan<char> Content(string? line)
    {
        var text = (line ?? "").AsSpan().Trim();
        // Each pass removes at least one tag, so this is linear in the line.
        while (true)
        {
            var before = text.Length;
            text = StripStart(text, AnswerExtractor.Open);
            text = StripStart(text, ThinkOpen);
            text = StripEnd(text, AnswerExtractor.Close);
            text = StripEnd(text, ThinkClose);
            if (text.Length == before) return text;
        }
    }

    private static ReadOnlySpan<char> StripStart(ReadOnlySpan<char> text, string tag)
        => text.StartsWith(tag, StringComparison.Ordinal) ? text[tag.Length..].TrimStart() : text;

    private static ReadOnlySpan<char> StripEnd(ReadOnlySpan<char> text, string tag)
        => text.EndsWith(tag, StringComparison.Ordinal) ? text[..^tag.Length].TrimEnd() : text;
}
