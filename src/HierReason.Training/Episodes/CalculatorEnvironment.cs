using System.Globalization;
using HierReason.Core.Expressions;
using HierReason.Engine.Tokenizers;

namespace HierReason.Training.Episodes;

/// <summary>
/// A calculator tool: when the policy's last segment ends with <c>&lt;/calc&gt;</c>, the expression inside the last
/// <c>&lt;calc&gt;…&lt;/calc&gt;</c> is evaluated by Core's safe parser (text is never run) and
/// <c>&lt;result&gt;VALUE&lt;/result&gt;</c> (or <c>&lt;result&gt;error&lt;/result&gt;</c>) is appended, at most
/// <see cref="MaxCalls"/> times per episode.
/// </summary>
public sealed class CalculatorEnvironment : IEnvironment
{
    public const string Open = "<calc>";
    public const string Close = "</calc>";
    public const string ErrorValue = "error";

    private readonly ITokenizer _tokenizer;

    public CalculatorEnvironment(ITokenizer tokenizer, int maxCalls = 4)
    {
        if (maxCalls < 0) throw new TrainingException($"calculator: max_calls must be >= 0 (found {maxCalls})");
        _tokenizer = tokenizer;
        MaxCalls = maxCalls;
    }

    public int MaxCalls { get; }

    /// <summary>A turn ends when the policy closes a <c>&lt;calc&gt;</c> call.</summary>
    public bool EndsTurn(IReadOnlyList<int> turnIds, string tail) => tail.EndsWith(Close, StringComparison.Ordinal);

    public Segment? Next(Episode episode)
    {
        var last = episode.Segments[^1];
        if (last.Source != SegmentSource.Policy || episode.EnvironmentTurns >= MaxCalls) return null;
        var text = last.Text.TrimEnd();
        if (!text.EndsWith(Close, StringComparison.Ordinal)) return null;
        var body = text[..^Close.Length];
        var open = body.LastIndexOf(Open, StringComparison.Ordinal);
        if (open < 0) return null;
        var expression = body[(open + Open.Length)..];
        return Segment.Encode(SegmentSource.Environment, ResultText(expression), _tokenizer);
    }

    /// <summary><c>&lt;result&gt;VALUE&lt;/result&gt;</c> for an expression; fractions are written as <c>p/q</c>.</summary>
    public static string ResultText(string expression)
    {
        var value = ArithmeticExpression.TryEvaluate(expression, out var result)
            ? result.ToString()
            : ErrorValue;
        return string.Create(CultureInfo.InvariantCulture, $"<result>{value}</result>");
    }
}
