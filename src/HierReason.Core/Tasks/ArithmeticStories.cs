using System.Text;

namespace HierReason.Core.Tasks;

/// <summary>The kinds of one-person story a multi-step word problem is built from.</summary>
internal enum StoryKind
{
    BuysBoxes,        // a * b
    GivesAway,        // a - b
    FindsMore,        // a + b
    ShareOfSplit,     // a / b
    BuysThenLoses,    // a + b - c
    HasAndBuysPacks,  // a + b * c
    CollectsDaily,    // a * b
    BuysPacksUses,    // a * b - c
    GivesThenBuys,    // a - b + c
}

/// <summary>One drawn story: who, what, which kind, its numbers and its result.</summary>
internal struct Story
{
    public StoryKind Kind;
    public int Person;
    public int Thing;
    public long A, B, C;
    public long Result;
}

/// <summary>
/// Draws and writes the one-person stories of <see cref="MultiStepArithmeticTask"/>. Each story is
/// about how many of one thing one person ends up with, so stories are independent of each other.
/// </summary>
internal static class ArithmeticStories
{
    public const int KindCount = 9;

    public static readonly string[] People =
    [
        "Ana", "Ben", "Cora", "Dev", "Eli", "Finn", "Gia", "Hugo", "Ivy", "Jon", "Kai",
        "Lena", "Mia", "Noah", "Omar", "Pia", "Raj", "Sara", "Tom", "Uma", "Vic", "Zoe",
    ];

    public static readonly string[] Things =
    [
        "pens", "pencils", "marbles", "stickers", "stamps", "cards", "apples", "oranges",
        "cookies", "candies", "shells", "buttons", "beads", "coins", "balloons", "crayons",
    ];

    /// <summary>Draws the numbers of a story of the given kind: quantities in [min, max], multipliers and divisors in 2..12.</summary>
    public static void Draw(TaskRng rng, ref Story s, int min, int max)
    {
        var factorMax = Math.Clamp(max, 2, 12);
        switch (s.Kind)
        {
            case StoryKind.BuysBoxes or StoryKind.CollectsDaily:
                s.A = s.Kind == StoryKind.BuysBoxes ? rng.Int(2, factorMax) : rng.Int(min, max);
                s.B = s.Kind == StoryKind.BuysBoxes ? rng.Int(min, max) : rng.Int(2, factorMax);
                s.Result = s.A * s.B;
                break;
            case StoryKind.GivesAway:
                // Drawing the result first keeps it positive without clipping the range.
                s.B = rng.Int(min, max);
                s.Result = rng.Int(min, max);
                s.A = s.B + s.Result;
                break;
            case StoryKind.FindsMore:
                s.A = rng.Int(min, max);
                s.B = rng.Int(min, max);
                s.Result = s.A + s.B;
                break;
            case StoryKind.ShareOfSplit:
                s.B = rng.Int(2, factorMax);
                s.Result = rng.Int(min, max);
                s.A = s.B * s.Result;
                break;
            case StoryKind.BuysThenLoses:
                s.A = rng.Int(min, max);
                s.B = rng.Int(min, max);
                s.C = rng.Int(min, (int)Math.Min(max, s.A + s.B - 1));
                s.Result = s.A + s.B - s.C;
                break;
            case StoryKind.HasAndBuysPacks:
                s.A = rng.Int(min, max);
                s.B = rng.Int(2, factorMax);
                s.C = rng.Int(min, max);
                s.Result = s.A + s.B * s.C;
                break;
            case StoryKind.BuysPacksUses:
                s.A = rng.Int(2, factorMax);
                s.B = rng.Int(min, max);
                s.C = rng.Int(min, (int)Math.Min(max, s.A * s.B - 1));
                s.Result = s.A * s.B - s.C;
                break;
            case StoryKind.GivesThenBuys:
                s.B = rng.Int(min, max);
                s.A = s.B + rng.Int(min, max);
                s.C = rng.Int(min, max);
                s.Result = s.A - s.B + s.C;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(s), s.Kind, "unknown story kind");
        }
    }

    /// <summary>Longest clause or own question a story can write, with quantities up to 10,000.</summary>
    public const int MaxTextLength = 160;

    /// <summary>The story as one sentence, ending in a full stop.</summary>
    public static void AppendClause(ref SpanText t, in Story s)
    {
        var p = People[s.Person];
        var th = Things[s.Thing];
        // Quantities stay far below int range: at most 12 × 10,000 + 10,000.
        int a = (int)s.A, b = (int)s.B, c = (int)s.C;
        switch (s.Kind)
        {
            case StoryKind.BuysBoxes:
                t.Append(p); t.Append(" buys "); t.Append(a); t.Append(" boxes of "); t.Append(b); t.Append(' '); t.Append(th); t.Append('.');
                break;
            case StoryKind.GivesAway:
                t.Append(p); t.Append(" has "); t.Append(a); t.Append(' '); t.Append(th); t.Append(" and gives away "); t.Append(b); t.Append('.');
                break;
            case StoryKind.FindsMore:
                t.Append(p); t.Append(" has "); t.Append(a); t.Append(' '); t.Append(th); t.Append(" and finds "); t.Append(b); t.Append(" more.");
                break;
            case StoryKind.ShareOfSplit:
                t.Append(a); t.Append(' '); t.Append(th); t.Append(" are split equally among "); t.Append(b);
                t.Append(" children, and "); t.Append(p); t.Append(" is one of them.");
                break;
            case StoryKind.BuysThenLoses:
                t.Append(p); t.Append(" starts with "); t.Append(a); t.Append(' '); t.Append(th); t.Append(", buys ");
                t.Append(b); t.Append(" more and then loses "); t.Append(c); t.Append('.');
                break;
            case StoryKind.HasAndBuysPacks:
                t.Append(p); t.Append(" has "); t.Append(a); t.Append(' '); t.Append(th); t.Append(" and buys ");
                t.Append(b); t.Append(" packs of "); t.Append(c); t.Append('.');
                break;
            case StoryKind.CollectsDaily:
                t.Append(p); t.Append(" collects "); t.Append(a); t.Append(' '); t.Append(th); t.Append(" every day for ");
                t.Append(b); t.Append(" days.");
                break;
            case StoryKind.BuysPacksUses:
                t.Append(p); t.Append(" buys "); t.Append(a); t.Append(" packs of "); t.Append(b); t.Append(' '); t.Append(th);
                t.Append(" and uses "); t.Append(c); t.Append(" of them.");
                break;
            case StoryKind.GivesThenBuys:
                t.Append(p); t.Append(" has "); t.Append(a); t.Append(' '); t.Append(th); t.Append(", gives away ");
                t.Append(b); t.Append(" and then buys "); t.Append(c); t.Append(" more.");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(s), s.Kind, "unknown story kind");
        }
    }

    /// <summary>The story's own question, answerable without the rest of the problem.</summary>
    public static string Question(in Story s)
    {
        var t = new SpanText(stackalloc char[MaxTextLength]);
        AppendClause(ref t, s);
        t.Append(" How many ");
        t.Append(Things[s.Thing]);
        t.Append(" does ");
        t.Append(People[s.Person]);
        t.Append(s.Kind == StoryKind.ShareOfSplit ? " get?" : " have now?");
        return t.ToString();
    }

    /// <summary>The arithmetic in ordinary precedence, as a worker would write it in one line.</summary>
    public static string Expression(StringBuilder sb, in Story s)
    {
        sb.Clear();
        _ = s.Kind switch
        {
            StoryKind.BuysBoxes or StoryKind.CollectsDaily => sb.Append(s.A).Append(" * ").Append(s.B),
            StoryKind.GivesAway => sb.Append(s.A).Append(" - ").Append(s.B),
            StoryKind.FindsMore => sb.Append(s.A).Append(" + ").Append(s.B),
            StoryKind.ShareOfSplit => sb.Append(s.A).Append(" / ").Append(s.B),
            StoryKind.BuysThenLoses => sb.Append(s.A).Append(" + ").Append(s.B).Append(" - ").Append(s.C),
            StoryKind.HasAndBuysPacks => sb.Append(s.A).Append(" + ").Append(s.B).Append(" * ").Append(s.C),
            StoryKind.BuysPacksUses => sb.Append(s.A).Append(" * ").Append(s.B).Append(" - ").Append(s.C),
            StoryKind.GivesThenBuys => sb.Append(s.A).Append(" - ").Append(s.B).Append(" + ").Append(s.C),
            _ => throw new ArgumentOutOfRangeException(nameof(s), s.Kind, "unknown story kind"),
        };
        return sb.ToString();
    }

    /// <summary>The story's trace line: one operation at a time, <c>Ana: 3 * 5 = 15, 4 + 15 = 19</c>.</summary>
    public static void AppendTraceLine(StringBuilder sb, in Story s)
    {
        sb.Append(People[s.Person]).Append(": ");
        switch (s.Kind)
        {
            case StoryKind.BuysThenLoses:
                Op(sb, s.A, " + ", s.B, s.A + s.B).Append(", ");
                Op(sb, s.A + s.B, " - ", s.C, s.Result);
                break;
            case StoryKind.HasAndBuysPacks:
                Op(sb, s.B, " * ", s.C, s.B * s.C).Append(", ");
                Op(sb, s.A, " + ", s.B * s.C, s.Result);
                break;
            case StoryKind.BuysPacksUses:
                Op(sb, s.A, " * ", s.B, s.A * s.B).Append(", ");
                Op(sb, s.A * s.B, " - ", s.C, s.Result);
                break;
            case StoryKind.GivesThenBuys:
                Op(sb, s.A, " - ", s.B, s.A - s.B).Append(", ");
                Op(sb, s.A - s.B, " + ", s.C, s.Result);
                break;
            default:
                Op(sb, s.A, s.Kind switch
                {
                    StoryKind.GivesAway => " - ",
                    StoryKind.FindsMore => " + ",
                    StoryKind.ShareOfSplit => " / ",
                    _ => " * ",
                }, s.B, s.Result);
                break;
        }
        sb.Append('\n');
    }

    private static StringBuilder Op(StringBuilder sb, long x, string op, long y, long result)
        => sb.Append(x).Append(op).Append(y).Append(" = ").Append(result);
}
