using HierReason.Core.Answers;

namespace HierReason.Core.Steps;

/// <summary>
/// Follows a completion line by line and says which lines belong to an answer: a line holding an
/// answer tag, or lying between <c>&lt;answer&gt;</c> and <c>&lt;/answer&gt;</c>. Such lines are
/// the verifier's to judge, not a step checker's.
/// </summary>
internal struct AnswerLines
{
    private bool _open;

    /// <summary>Whether <paramref name="line"/>, the next line of the completion, is part of an answer.</summary>
    public bool Covers(string? line)
    {
        var text = (line ?? "").AsSpan();
        var open = text.LastIndexOf(AnswerExtractor.Open, StringComparison.Ordinal);
        var close = text.LastIndexOf(AnswerExtractor.Close, StringComparison.Ordinal);
        if (open < 0 && close < 0) return _open;
        // The answer stays open after this line when the line's last tag opens one.
        _open = open > close;
        return true;
    }
}
