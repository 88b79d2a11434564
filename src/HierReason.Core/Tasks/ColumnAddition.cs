using System.Globalization;
using System.Text;

namespace HierReason.Core.Tasks;

/// <summary>
/// Column addition written out the way a tiny model can execute it: one single-digit fact per column, the carry added
/// into the next column, then the sum. <c>47 + 38: 7 + 8 = 15, 4 + 3 + 1 = 8, so 85</c>; a carry out of the last column
/// is its own column (<c>0 + 0 + 1 = 1</c>). Every step is one of the 200 facts x + y (+ 1), whatever the numbers, so
/// what is learned on some questions carries over to unseen ones.
/// </summary>
public static class ColumnAddition
{
    /// <summary>The line for <paramref name="a"/> + <paramref name="b"/> (both ≥ 0), without a newline.</summary>
    public static string Line(long a, long b)
    {
        if (a < 0 || b < 0) throw new ArgumentOutOfRangeException(a < 0 ? nameof(a) : nameof(b), "column addition is for non-negative numbers");
        var sum = a + b;
        var sb = new StringBuilder(48);
        sb.Append(a.ToString(CultureInfo.InvariantCulture)).Append(" + ").Append(b.ToString(CultureInfo.InvariantCulture)).Append(": ");
        var carry = 0L;
        do
        {
            var s = a % 10 + b % 10 + carry;
            sb.Append(a % 10).Append(" + ").Append(b % 10);
            if (carry > 0) sb.Append(" + 1");
            sb.Append(" = ").Append(s);
            carry = s >= 10 ? 1 : 0;
            a /= 10;
            b /= 10;
            if (a > 0 || b > 0 || carry > 0) sb.Append(", ");
        }
        while (a > 0 || b > 0 || carry > 0);
        return sb.Append(", so ").Append(sum.ToString(CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>
    /// Reads a column line back: <c>A + B: …, so C</c> gives the operands and the stated sum, and whether every column
    /// fact written holds (<paramref name="factsHold"/>). False for any other shape. Never throws.
    /// </summary>
    public static bool TryRead(string line, out long a, out long b, out long sum, out bool factsHold)
    {
        a = b = sum = 0;
        factsHold = false;
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        var so = line.LastIndexOf(", so ", StringComparison.Ordinal);
        if (colon < 0 || so < colon) return false;
        var operands = line[..colon].Split(" + ");
        if (operands.Length != 2
            || !long.TryParse(operands[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out a)
            || !long.TryParse(operands[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out b)
            || !long.TryParse(line[(so + 5)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out sum))
            return false;
        factsHold = line[(colon + 1)..so].Split(',').All(Holds);
        return true;
    }

    private static bool Holds(string fact)
    {
        var parts = fact.Split('=');
        if (parts.Length != 2 || !long.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var result)) return false;
        long total = 0;
        foreach (var term in parts[0].Split('+'))
        {
            if (!long.TryParse(term.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 9) return false;
            total += value;
        }
        return total == result;
    }
}
