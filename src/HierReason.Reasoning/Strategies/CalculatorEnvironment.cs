using System.Globalization;
using HierReason.Core.Episodes;
using HierReason.Core.Expressions;

namespace HierReason.Reasoning.Strategies;

/// <summary>
/// A calculator tool: the policy's turn ends at <c>&lt;/calc&gt;</c>, the expression inside the last
/// <c>&lt;calc&gt;…&lt;/calc&gt;</c> is evaluated by Core's safe parser (text is never run) and
/// <c>&lt;result&gt;VALUE&lt;/result&gt;</c> (or <c>&lt;result&gt;error&lt;/result&gt;</c>) is appended as an environment
/// segment, at most <see cref="MaxCalls"/> times per episode. Stats: <c>calls</c>, <c>call_errors</c>.
/// </summary>
public sealed class CalculatorEnvironment : IEnvironment
{
    public const string Open = "<calc>";
    public const string Close = "</calc>";
    public const string ErrorValue = "error";

    private static readonly TurnSpec CallTurn = new([Close]);

    public CalculatorEnvironment(int maxCalls = 4)
    {
        if (maxCalls < 0) throw new ArgumentOutOfRangeException(nameof(maxCalls), maxCalls, "max_calls must be >= 0");
        MaxCalls = maxCalls;
    }

    public string Name => "calculator";

    public int MaxCalls { get; }

    public TurnSpec NextTurn(Episode episode) => episode.EnvironmentTurns < MaxCalls ? CallTurn : TurnSpec.Open;

    public Task<IReadOnlyList<EnvironmentStep?>> NextAsync(IReadOnlyList<Episode> episodes, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<EnvironmentStep?>>(episodes.Select(Next).ToArray());

    private EnvironmentStep? Next(Episode episode)
    {
        var last = episode.Segments[^1];
        if (!episode.IsPolicy(last) || episode.EnvironmentTurns >= MaxCalls) return null;
        var text = last.Text.TrimEnd();
        if (!text.EndsWith(Close, StringComparison.Ordinal)) return null;
        var body = text[..^Close.Length];
        var open = body.LastIndexOf(Open, StringComparison.Ordinal);
        if (open < 0) return null;
        var result = Evaluate(body[(open + Open.Length)..], out var ok);
        return EnvironmentStep.Continue(new Segment(Actor.Environment, result),
            new Dictionary<string, double> { ["calls"] = 1, ["call_errors"] = ok ? 0 : 1 });
    }

    /// <summary><c>&lt;result&gt;VALUE&lt;/result&gt;</c> for an expression; fractions are written as <c>p/q</c>.</summary>
    public static string ResultText(string expression) => Evaluate(expression, out _);

    private static string Evaluate(string expression, out bool ok)
    {
        ok = ArithmeticExpression.TryEvaluate(expression, out var result);
        return string.Create(CultureInfo.InvariantCulture, $"<result>{(ok ? result.ToString() : ErrorValue)}</result>");
    }
}
