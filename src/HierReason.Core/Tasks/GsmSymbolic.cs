using System.ComponentModel;
using HierReason.Core.Answers;
using HierReason.Core.Tasks.Gsm;

namespace HierReason.Core.Tasks;

/// <summary>Config of <see cref="GsmSymbolicTask"/>: which templates, how many steps, how large the numbers.</summary>
public sealed record GsmSymbolicConfig : TaskConfig
{
    [Description("Template ids to draw from (empty: all of them).")]
    public IReadOnlyList<string> Templates { get; init; } = [];

    [Description("Number size: 1 small, 2 moderate, 3 large.")]
    public int Difficulty { get; init; } = 2;

    [Description("Most arithmetic steps a template may take; templates with more are left out.")]
    public int MaxSteps { get; init; } = 4;

    public override void Validate()
    {
        if (Templates is null) throw new ConfigException(null, Field(nameof(Templates)), "a list of template ids", "null");
        for (var i = 0; i < Templates.Count; i++)
        {
            if (GsmTemplates.Find(Templates[i]) is null)
                throw new ConfigException(null, $"{Field(nameof(Templates))}[{i}]",
                    $"a gsm_symbolic template id (one of: {string.Join(", ", GsmTemplates.All.Select(t => t.Id))})", $"'{Templates[i]}'");
        }
        InRange(Difficulty, 1, 3, nameof(Difficulty));
        InRange(MaxSteps, 1, 8, nameof(MaxSteps));
        if (EligibleCount() == 0)
            throw new ConfigException(null, Field(nameof(MaxSteps)), "a step limit that keeps at least one of the chosen templates", MaxSteps.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Whether a template may be drawn under this config.</summary>
    public bool Allows(GsmTemplate template)
    {
        if (template.Steps > MaxSteps) return false;
        if (Templates.Count == 0) return true;
        for (var i = 0; i < Templates.Count; i++)
            if (Templates[i] == template.Id) return true;
        return false;
    }

    /// <summary>How many templates this config allows.</summary>
    public int EligibleCount()
    {
        var n = 0;
        foreach (var t in GsmTemplates.All)
            if (Allows(t)) n++;
        return n;
    }
}

/// <summary>What a gsm_symbolic item needs for scoring and checking: the template, its drawn values, the answer.</summary>
public sealed record GsmSymbolicMetadata : TaskMetadata
{
    /// <summary>The template id.</summary>
    public required string Template { get; init; }

    /// <summary>Every number shown in the question, by variable name.</summary>
    public required IReadOnlyDictionary<string, long> Values { get; init; }

    /// <summary>The names, things and settings filled in, by variable name.</summary>
    public required IReadOnlyDictionary<string, string> Words { get; init; }

    /// <summary>The answer's unit word, accepted after the number.</summary>
    public required string Unit { get; init; }

    public required long Answer { get; init; }
}

/// <summary>
/// Templated grade-school word problems in the spirit of GSM-Symbolic: shopping, rates, sharing,
/// percentages, ages and more, with whole-number arithmetic by construction. Scoring: the integer,
/// exactly, in any numeric formatting; a leading "$" is accepted when the unit is dollars, and the
/// item's own unit word may follow the number ("12 dollars", "8 pages"). No partial credit.
/// </summary>
public sealed class GsmSymbolicTask : ReasoningTask<GsmSymbolicConfig, GsmSymbolicMetadata>
{
    public override string Name => "gsm_symbolic";

    public override string Description => "Solve a templated grade-school word problem with whole-number arithmetic.";

    protected override IEnumerable<GsmSymbolicConfig> DifficultyLevels() =>
    [
        new() { Difficulty = 1, MaxSteps = 2 },
        new() { Difficulty = 1, MaxSteps = 3 },
        new() { Difficulty = 2, MaxSteps = 4 },
        new() { Difficulty = 3, MaxSteps = 4 },
    ];

    protected override TaskItem Generate(GsmSymbolicConfig config, ItemContext context)
    {
        var rng = context.Rng;
        var eligible = config.EligibleCount();
        var problem = new GsmProblem(rng, config.Difficulty);
        GsmTemplate template;
        string question;
        do
        {
            template = Pick(config, rng.Int(0, eligible - 1));
            problem.Reset();
            template.Compose(problem);
            question = problem.Text.ToString();
        }
        while (!context.Accepts(question));

        var answer = problem.Answer;
        return context.Item(question, NumericAnswer.Format(answer), new GsmSymbolicMetadata
        {
            Solution = problem.Solution(),
            Template = template.Id,
            Values = problem.Values(),
            Words = problem.Words(),
            Unit = problem.Unit,
            Answer = answer,
        });
    }

    protected override double ScoreAnswer(string answer, TaskItem item, GsmSymbolicMetadata metadata)
    {
        var s = answer.AsSpan().Trim();
        if (s.Length > 0 && s[0] == '$' && metadata.Unit == "dollars") s = s[1..];
        var unit = metadata.Unit.AsSpan();
        if (unit.Length > 0 && s.Length > unit.Length + 1 && s.EndsWith(unit, StringComparison.OrdinalIgnoreCase)
            && s[^(unit.Length + 1)] == ' ')
            s = s[..^unit.Length];
        // Plain digits, the usual case, compare without a decimal parse; anything else gets the full reader.
        if (TryPlainDigits(s, out var value)) return value == metadata.Answer ? 1.0 : 0.0;
        return s.Length == answer.Length ? NumericAnswer.Score(answer, metadata.Answer) : NumericAnswer.Score(s.ToString(), metadata.Answer);
    }

    private static bool TryPlainDigits(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        if (s.Length is 0 or > 18) return false;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    /// <summary>The k-th template the config allows, in catalogue order.</summary>
    private static GsmTemplate Pick(GsmSymbolicConfig config, int k)
    {
        foreach (var t in GsmTemplates.All)
            if (config.Allows(t) && k-- == 0) return t;
        throw new InvalidOperationException("no template left to pick; Validate should have refused this config");
    }
}
