namespace HierReason.Core.Tasks;

/// <summary>Checks a config's operator set, written as a string of distinct characters from <c>+-*/</c>.</summary>
public static class ArithmeticOperators
{
    public const string All = "+-*/";

    public static bool AreValid(string? operators)
    {
        if (string.IsNullOrEmpty(operators) || operators.Length > All.Length) return false;
        for (var i = 0; i < operators.Length; i++)
            if (!All.Contains(operators[i]) || operators.IndexOf(operators[i], i + 1) >= 0) return false;
        return true;
    }
}
