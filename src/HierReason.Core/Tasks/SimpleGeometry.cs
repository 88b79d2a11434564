using System.ComponentModel;
using System.Text;
using HierReason.Core.Answers;

namespace HierReason.Core.Tasks;

/// <summary>Config of <see cref="SimpleGeometryTask"/>: how many sides the polygon has, and the range of each angle.</summary>
public sealed record SimpleGeometryConfig : TaskConfig
{
    [Description("Fewest sides of the polygon (3 is a triangle).")]
    public int MinSides { get; init; } = 3;

    [Description("Most sides of the polygon.")]
    public int MaxSides { get; init; } = 6;

    [Description("Smallest interior angle, in whole degrees (the missing one included).")]
    public int MinAngle { get; init; } = 10;

    [Description("Largest interior angle, in whole degrees (below 180: the polygon is convex).")]
    public int MaxAngle { get; init; } = 170;

    public override void Validate()
    {
        InRange(MinSides, 3, 12, nameof(MinSides));
        InRange(MaxSides, 3, 12, nameof(MaxSides));
        Ordered(MinSides, MaxSides, nameof(MinSides), nameof(MaxSides));
        InRange(MinAngle, 1, 179, nameof(MinAngle));
        InRange(MaxAngle, 1, 179, nameof(MaxAngle));
        Ordered(MinAngle, MaxAngle, nameof(MinAngle), nameof(MaxAngle));
        // Every polygon in range must be able to reach its angle sum with angles in [min, max].
        for (var n = MinSides; n <= MaxSides; n++)
        {
            var sum = (n - 2) * 180;
            if (n * MinAngle > sum)
                throw new ConfigException(null, Field(nameof(MinAngle)), $"at most {sum / n} (a polygon with {n} sides has angles summing to {sum})", MinAngle.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (n * MaxAngle < sum)
                throw new ConfigException(null, Field(nameof(MaxAngle)), $"at least {(sum + n - 1) / n} (a polygon with {n} sides has angles summing to {sum})", MaxAngle.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>What a simple-geometry item needs for scoring and inspection: the polygon and its angles.</summary>
public sealed record SimpleGeometryMetadata : TaskMetadata
{
    public required int Sides { get; init; }
    public required IReadOnlyList<int> GivenAngles { get; init; }
    public required int MissingAngle { get; init; }
}

/// <summary>
/// A convex polygon with all interior angles but one given: find the missing one, from the sum
/// (n − 2) · 180. Scoring: the angle in whole degrees, exact; a trailing unit is accepted, so
/// "115", "115°", "115 °", "115 degrees" and "115 deg" all score 1 when the angle is 115. Every
/// other answer scores 0.
/// </summary>
public sealed class SimpleGeometryTask : ReasoningTask<SimpleGeometryConfig, SimpleGeometryMetadata>
{
    private static readonly string[] Units = ["degrees", "degree", "deg", "°"];

    public override string Name => "simple_geometry";

    public override string Description => "Find the missing interior angle of a convex polygon.";

    protected override IEnumerable<SimpleGeometryConfig> DifficultyLevels() =>
    [
        new() { MinSides = 3, MaxSides = 3 },
        new() { MinSides = 3, MaxSides = 4 },
        new() { MinSides = 3, MaxSides = 6 },
        new() { MinSides = 5, MaxSides = 8, MinAngle = 20 },
        new() { MinSides = 7, MaxSides = 12, MinAngle = 30, MaxAngle = 179 },
    ];

    protected override TaskItem Generate(SimpleGeometryConfig config, ItemContext context)
    {
        var rng = context.Rng;
        var angles = new int[config.MaxSides - 1];
        var sb = new StringBuilder(160);
        int sides, missing;
        string question;
        do
        {
            sides = rng.Int(config.MinSides, config.MaxSides);
            missing = DrawAngles(rng, sides, config.MinAngle, config.MaxAngle, angles.AsSpan(0, sides - 1));
            question = Question(sb, sides, angles.AsSpan(0, sides - 1));
        }
        while (!context.Accepts(question));

        var given = angles.AsSpan(0, sides - 1);
        var sum = (sides - 2) * 180;
        var givenSum = 0;
        sb.Clear().Append("sum of interior angles = (").Append(sides).Append(" - 2) * 180 = ").Append(sum).Append("\ngiven: ");
        for (var i = 0; i < given.Length; i++)
        {
            if (i > 0) sb.Append(" + ");
            sb.Append(given[i]);
            givenSum += given[i];
        }
        sb.Append(" = ").Append(givenSum).Append('\n')
          .Append(sum).Append(" - ").Append(givenSum).Append(" = ").Append(missing).Append('\n');
        var answer = NumericAnswer.Format(missing);
        sb.Append("<answer>").Append(answer).Append("</answer>");

        return context.Item(question, answer, new SimpleGeometryMetadata
        {
            Solution = sb.ToString(),
            Sides = sides,
            GivenAngles = given.ToArray(),
            MissingAngle = missing,
        });
    }

    protected override double ScoreAnswer(string answer, TaskItem item, SimpleGeometryMetadata metadata)
        => NumericAnswer.Score(WithoutUnit(answer), metadata.MissingAngle);

    /// <summary>The answer with one trailing degree unit (°, deg, degree, degrees; any case) removed.</summary>
    public static string WithoutUnit(string answer)
    {
        var s = answer.AsSpan().Trim();
        foreach (var unit in Units)
            if (s.EndsWith(unit, StringComparison.OrdinalIgnoreCase))
            {
                s = s[..^unit.Length].TrimEnd();
                break;
            }
        return s.ToString();
    }

    /// <summary>
    /// Fills <paramref name="given"/> with angles in [min, max] and returns the missing one, also in
    /// [min, max], such that all of them sum to (sides − 2) · 180.
    /// </summary>
    private static int DrawAngles(TaskRng rng, int sides, int min, int max, Span<int> given)
    {
        var sum = (sides - 2) * 180;
        var k = given.Length;
        // The missing angle first, from the range that leaves the others a feasible remainder.
        var missing = rng.Int(Math.Max(min, sum - k * max), Math.Min(max, sum - k * min));
        var rest = sum - missing;
        for (var i = 0; i < k - 1; i++)
        {
            var left = k - 1 - i;
            var a = rng.Int(Math.Max(min, rest - left * max), Math.Min(max, rest - left * min));
            given[i] = a;
            rest -= a;
        }
        given[k - 1] = rest;
        // The sequential draw makes the last angle special; shuffling hides which one it was.
        for (var i = k - 1; i > 0; i--)
        {
            var j = rng.Int(0, i);
            (given[i], given[j]) = (given[j], given[i]);
        }
        return missing;
    }

    private static string Question(StringBuilder sb, int sides, ReadOnlySpan<int> given)
    {
        sb.Clear().Append("A convex polygon has ").Append(sides).Append(" sides. ")
          .Append(given.Length).Append(" of its interior angles are ");
        for (var i = 0; i < given.Length; i++)
        {
            if (i > 0) sb.Append(i == given.Length - 1 ? (given.Length > 2 ? ", and " : " and ") : ", ");
            sb.Append(given[i]);
        }
        return sb.Append(" degrees. How many degrees is the remaining interior angle?").ToString();
    }
}
