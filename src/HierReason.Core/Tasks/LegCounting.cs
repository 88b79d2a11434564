using System.ComponentModel;
using System.Globalization;
using HierReason.Core.Answers;

namespace HierReason.Core.Tasks;

/// <summary>Config of <see cref="LegCountingTask"/>: how many kinds of animal, and how many of each.</summary>
public sealed record LegCountingConfig : TaskConfig
{
    [Description("Fewest kinds of animal in a question.")]
    public int MinAnimals { get; init; } = 3;

    [Description("Most kinds of animal in a question.")]
    public int MaxAnimals { get; init; } = 10;

    [Description("Fewest of each animal.")]
    public int MinInstances { get; init; } = 1;

    [Description("Most of each animal.")]
    public int MaxInstances { get; init; } = 15;

    public override void Validate()
    {
        InRange(MinAnimals, 1, LegCountingTask.Animals.Length, nameof(MinAnimals));
        InRange(MaxAnimals, 1, LegCountingTask.Animals.Length, nameof(MaxAnimals));
        Ordered(MinAnimals, MaxAnimals, nameof(MinAnimals), nameof(MaxAnimals));
        InRange(MinInstances, 1, 1000, nameof(MinInstances));
        InRange(MaxInstances, 1, 1000, nameof(MaxInstances));
        Ordered(MinInstances, MaxInstances, nameof(MinInstances), nameof(MaxInstances));
    }
}

/// <summary>One animal of a leg-counting question: how many there are and how many legs each has.</summary>
public readonly record struct AnimalCount(string Animal, int Count, int Legs);

/// <summary>What a leg-counting item needs for scoring and inspection: the animals and their counts.</summary>
public sealed record LegCountingMetadata : TaskMetadata, IDecomposable
{
    public required IReadOnlyList<AnimalCount> Counts { get; init; }
    public required long TotalLegs { get; init; }

    /// <summary>One sub-problem per kind of animal ("How many legs do 3 cats have?"), summed.</summary>
    public GoldDecomposition Decompose() => new(Counts.Select(c => new SubProblem
    {
        Question = string.Create(CultureInfo.InvariantCulture, $"How many legs {(c.Count == 1 ? "does" : "do")} {c.Count} {LegCountingTask.AnimalName(c.Animal, c.Count)} have?"),
        Expression = string.Create(CultureInfo.InvariantCulture, $"{c.Count} * {c.Legs}"),
        Answer = (long)c.Count * c.Legs,
    }).ToArray(), CombineOperation.Sum);
}

/// <summary>
/// Count the legs of a list of animals. Scoring: the total as a number, exact (any formatting);
/// every other answer scores 0.
/// </summary>
public sealed class LegCountingTask : ReasoningTask<LegCountingConfig, LegCountingMetadata>
{
    /// <summary>Animals with their leg counts (a centipede counts as 100, as the name says).</summary>
    public static readonly (string Singular, string Plural, int Legs)[] Animals =
    [
        ("bird", "birds", 2), ("chicken", "chickens", 2), ("duck", "ducks", 2), ("penguin", "penguins", 2),
        ("ostrich", "ostriches", 2), ("human", "humans", 2), ("cat", "cats", 4), ("dog", "dogs", 4),
        ("cow", "cows", 4), ("horse", "horses", 4), ("sheep", "sheep", 4), ("elephant", "elephants", 4),
        ("giraffe", "giraffes", 4), ("tiger", "tigers", 4), ("deer", "deer", 4), ("zebra", "zebras", 4),
        ("snake", "snakes", 0), ("fish", "fish", 0), ("worm", "worms", 0), ("insect", "insects", 6),
        ("ant", "ants", 6), ("beetle", "beetles", 6), ("butterfly", "butterflies", 6), ("cockroach", "cockroaches", 6),
        ("spider", "spiders", 8), ("scorpion", "scorpions", 8), ("crab", "crabs", 10), ("lobster", "lobsters", 10),
        ("shrimp", "shrimps", 10), ("starfish", "starfish", 5), ("jellyfish", "jellyfish", 0), ("centipede", "centipedes", 100),
    ];

    public override string Name => "leg_counting";

    /// <summary>The animal's name as a question writes it for <paramref name="count"/> of them.</summary>
    public static string AnimalName(string singular, int count)
    {
        var animal = Array.Find(Animals, a => a.Singular == singular);
        return count == 1 || animal.Plural is null ? singular : animal.Plural;
    }

    public override string Description => "Count the total number of legs of a list of animals.";

    protected override IEnumerable<LegCountingConfig> DifficultyLevels() =>
    [
        new() { MinAnimals = 1, MaxAnimals = 2, MinInstances = 1, MaxInstances = 3 },
        new() { MinAnimals = 2, MaxAnimals = 3, MinInstances = 1, MaxInstances = 5 },
        new() { MinAnimals = 3, MaxAnimals = 5, MinInstances = 1, MaxInstances = 10 },
        new() { MinAnimals = 3, MaxAnimals = 10, MinInstances = 1, MaxInstances = 15 },
    ];

    protected override TaskItem Generate(LegCountingConfig config, ItemContext context)
    {
        var rng = context.Rng;
        Span<(int Animal, int Count)> picks = stackalloc (int, int)[config.MaxAnimals];
        Span<char> buffer = stackalloc char[64 + 24 * config.MaxAnimals];
        var text = new SpanText(buffer);
        int kinds;
        do
        {
            kinds = rng.Int(config.MinAnimals, config.MaxAnimals);
            for (var i = 0; i < kinds; i++)
            {
                int a;
                do a = rng.Int(0, Animals.Length - 1);
                while (Contains(picks, i, a));
                picks[i] = (a, rng.Int(config.MinInstances, config.MaxInstances));
            }
            text.Clear();
            WriteQuestion(ref text, picks[..kinds]);
        }
        while (!context.Accepts(text.Written));
        var question = text.ToString();

        // Trace lines are "<n> <animal>: <n> * <legs> = <subtotal>", then the total.
        Span<char> traceBuffer = stackalloc char[64 + 64 * kinds];
        var trace = new SpanText(traceBuffer);
        var counts = new AnimalCount[kinds];
        long total = 0;
        for (var i = 0; i < kinds; i++)
        {
            var (a, n) = picks[i];
            var (singular, plural, legs) = Animals[a];
            trace.Append(n); trace.Append(' '); trace.Append(n == 1 ? singular : plural); trace.Append(": ");
            trace.Append(n); trace.Append(" * "); trace.Append(legs); trace.Append(" = "); trace.Append(n * legs); trace.Append('\n');
            counts[i] = new AnimalCount(singular, n, legs);
            total += (long)n * legs;
        }
        trace.Append("Total: ");
        for (var i = 0; i < kinds; i++)
        {
            if (i > 0) trace.Append(" + ");
            trace.Append(picks[i].Count * Animals[picks[i].Animal].Legs);
        }
        var answer = NumericAnswer.Format(total);
        trace.Append(" = "); trace.Append(answer); trace.Append('\n');
        trace.Append("<answer>"); trace.Append(answer); trace.Append("</answer>");

        return context.Item(question, answer, new LegCountingMetadata
        {
            Solution = trace.ToString(),
            Counts = counts,
            TotalLegs = total,
        });
    }

    protected override double ScoreAnswer(string answer, TaskItem item, LegCountingMetadata metadata)
        => NumericAnswer.Score(answer, metadata.TotalLegs);

    private static bool Contains(ReadOnlySpan<(int Animal, int Count)> picks, int n, int animal)
    {
        for (var i = 0; i < n; i++)
            if (picks[i].Animal == animal) return true;
        return false;
    }

    private static void WriteQuestion(ref SpanText text, ReadOnlySpan<(int Animal, int Count)> picks)
    {
        text.Append("How many legs are there in total if you have ");
        for (var i = 0; i < picks.Length; i++)
        {
            var (a, n) = picks[i];
            if (i > 0) text.Append(i == picks.Length - 1 ? (picks.Length > 2 ? ", and " : " and ") : ", ");
            text.Append(n);
            text.Append(' ');
            text.Append(n == 1 ? Animals[a].Singular : Animals[a].Plural);
        }
        text.Append('?');
    }
}
