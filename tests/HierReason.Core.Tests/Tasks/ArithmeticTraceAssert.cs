using HierReason.Core.Answers;
using HierReason.Core.Expressions;

namespace HierReason.Core.Tests.Tasks;

/// <summary>Checks a trace of "a op b = c" lines ending in the answer tag: every step's arithmetic is exact.</summary>
internal static class ArithmeticTraceAssert
{
    /// <summary>Returns the steps' results, after checking each line recomputes.</summary>
    public static List<long> Steps(string solution, string answer)
    {
        var lines = solution.Split('\n');
        Assert.Equal($"<answer>{answer}</answer>", lines[^1]);
        var results = new List<long>();
        foreach (var line in lines[..^1])
        {
            var parts = line.Split(' ');
            Assert.True(parts.Length == 5 && parts[3] == "=", $"step '{line}' is not 'a op b = c'");
            Assert.True(ArithmeticExpression.TryEvaluate($"({parts[0]}) {parts[1]} ({parts[2]})", out var v), line);
            Assert.True(v.IsInteger, $"step '{line}' is not an exact integer operation");
            Assert.Equal(NumericAnswer.Format(v.Numerator), parts[4]);
            results.Add(v.Numerator);
        }
        return results;
    }

    public static bool HasNegation(ExpressionNode node) => node switch
    {
        Negation => true,
        BinaryOperation b => HasNegation(b.Left) || HasNegation(b.Right),
        _ => false,
    };

    public static IEnumerable<char> Operators(ExpressionNode node) => node switch
    {
        BinaryOperation b => Operators(b.Left).Append(b.Operator).Concat(Operators(b.Right)),
        Negation n => Operators(n.Operand),
        _ => [],
    };
}
