using System.ComponentModel;
using System.Text;
using HierReason.Core.Answers;

namespace HierReason.Core.Tasks;

/// <summary>Config of <see cref="MultiStepArithmeticTask"/>: how many independent sub-problems, and how large their numbers.</summary>
public sealed record MultiStepArithmeticConfig : TaskConfig
{
    [Description("Fewest independent sub-problems in a question.")]
    public int MinSubproblems { get; init; } = 2;

    [Description("Most independent sub-problems in a question.")]
    public int MaxSubproblems { get; init; } = 3;

    [Description("Smallest quantity in a story (multipliers and divisors are always 2 to 12).")]
    public int MinValue { get; init; } = 2;

    [Description("Largest quantity in a story.")]
    public int MaxValue { get; init; } = 50;

    public override void Validate()
    {
        InRange(MinSubproblems, 2, 5, nameof(MinSubproblems));
        InRange(MaxSubproblems, 2, 5, nameof(MaxSubproblems));
        Ordered(MinSubproblems, MaxSubproblems, nameof(MinSubproblems), nameof(MaxSubproblems));
        InRange(MinValue, 1, 10_000, nameof(MinValue));
        InRange(MaxValue, 2, 10_000, nameof(MaxValue));
        Ordered(MinValue, MaxValue, nameof(MinValue), nameof(MaxValue));
    }
}

/// <summary>
/// What a multi-step item needs for scoring and for the planner/worker stage: its independent
/// sub-problems (each answerable alone) and how their answers combine into <see cref="Result"/>.
/// </summary>
public sealed record MultiStepArithmeticMetadata : TaskMetadata, IDecomposable
{
    public required IReadOnlyList<SubProblem> Subproblems { get; init; }
    public required CombineOperation Combine { get; init; }
    public required long Result { get; init; }

    public GoldDecomposition Decompose() => new(Subproblems, Combine);
}

/// <summary>
/// A word problem made of independent one-person stories whose answers combine: two or more
/// stories summed ("together"), or, with two stories, their difference ("how many more") or their
/// product (one person's things are worth as many points as the other has things). Built for
/// decomposition: metadata lists each story as a self-contained question. Scoring: the result as a
/// number, exact (any formatting); every other answer scores 0.
/// </summary>
public sealed class MultiStepArithmeticTask : ReasoningTask<MultiStepArithmeticConfig, MultiStepArithmeticMetadata>
{
    public override string Name => "multi_step_arithmetic";

    public override string Description => "Solve a word problem made of independent arithmetic stories whose answers combine.";

    protected override IEnumerable<MultiStepArithmeticConfig> DifficultyLevels() =>
    [
        new() { MinSubproblems = 2, MaxSubproblems = 2, MinValue = 2, MaxValue = 10 },
        new() { MinSubproblems = 2, MaxSubproblems = 2, MinValue = 2, MaxValue = 20 },
        new() { MinSubproblems = 2, MaxSubproblems = 3, MinValue = 2, MaxValue = 50 },
        new() { MinSubproblems = 3, MaxSubproblems = 4, MinValue = 5, MaxValue = 100 },
        new() { MinSubproblems = 4, MaxSubproblems = 5, MinValue = 10, MaxValue = 500 },
    ];

    protected override TaskItem Generate(MultiStepArithmeticConfig config, ItemContext context)
    {
        var rng = context.Rng;
        var stories = new Story[config.MaxSubproblems];
        var text = new SpanText(stackalloc char[ArithmeticStories.MaxTextLength * config.MaxSubproblems + 200]);
        int k;
        CombineOperation combine;
        do
        {
            k = rng.Int(config.MinSubproblems, config.MaxSubproblems);
            combine = k == 2
                ? rng.Int(0, 3) switch { 0 or 1 => CombineOperation.Sum, 2 => CombineOperation.Difference, _ => CombineOperation.Product }
                : CombineOperation.Sum;
            var sharedThing = rng.Int(0, ArithmeticStories.Things.Length - 1);
            for (var i = 0; i < k; i++)
            {
                ref var s = ref stories[i];
                s.Kind = (StoryKind)rng.Int(0, ArithmeticStories.KindCount - 1);
                s.Person = DistinctPerson(rng, stories, i);
                // A product compares two different things; a sum or difference counts one thing.
                s.Thing = combine == CombineOperation.Product && i == 1
                    ? (sharedThing + rng.Int(1, ArithmeticStories.Things.Length - 1)) % ArithmeticStories.Things.Length
                    : sharedThing;
                ArithmeticStories.Draw(rng, ref s, config.MinValue, config.MaxValue);
            }
            // "How many more" needs a strictly larger side; with a tie the same stories are summed.
            if (combine == CombineOperation.Difference && stories[0].Result == stories[1].Result) combine = CombineOperation.Sum;
            text.Clear();
            WriteQuestion(ref text, stories.AsSpan(0, k), combine);
        }
        while (!context.Accepts(text.Written));
        var question = text.ToString();

        var sb = new StringBuilder(64 * k + 64);
        var parts = new SubProblem[k];
        for (var i = 0; i < k; i++)
            parts[i] = new SubProblem
            {
                Question = ArithmeticStories.Question(stories[i]),
                Expression = ArithmeticStories.Expression(sb, stories[i]),
                Answer = stories[i].Result,
            };

        sb.Clear();
        for (var i = 0; i < k; i++) ArithmeticStories.AppendTraceLine(sb, stories[i]);
        long result;
        switch (combine)
        {
            case CombineOperation.Difference:
                var big = Math.Max(stories[0].Result, stories[1].Result);
                var small = Math.Min(stories[0].Result, stories[1].Result);
                result = big - small;
                sb.Append(big).Append(" - ").Append(small);
                break;
            case CombineOperation.Product:
                result = stories[0].Result * stories[1].Result;
                sb.Append(stories[0].Result).Append(" * ").Append(stories[1].Result);
                break;
            default:
                result = 0;
                for (var i = 0; i < k; i++)
                {
                    if (i > 0) sb.Append(" + ");
                    sb.Append(stories[i].Result);
                    result += stories[i].Result;
                }
                break;
        }
        var answer = NumericAnswer.Format(result);
        sb.Append(" = ").Append(answer).Append("\n<answer>").Append(answer).Append("</answer>");

        return context.Item(question, answer, new MultiStepArithmeticMetadata
        {
            Solution = sb.ToString(),
            Subproblems = parts,
            Combine = combine,
            Result = result,
        });
    }

    protected override double ScoreAnswer(string answer, TaskItem item, MultiStepArithmeticMetadata metadata)
        => NumericAnswer.Score(answer, metadata.Result);

    private static int DistinctPerson(TaskRng rng, Story[] stories, int count)
    {
        while (true)
        {
            var p = rng.Int(0, ArithmeticStories.People.Length - 1);
            var taken = false;
            for (var j = 0; j < count; j++)
                if (stories[j].Person == p) taken = true;
            if (!taken) return p;
        }
    }

    private static void WriteQuestion(ref SpanText t, ReadOnlySpan<Story> stories, CombineOperation combine)
    {
        foreach (ref readonly var s in stories)
        {
            ArithmeticStories.AppendClause(ref t, s);
            t.Append(' ');
        }
        var people = ArithmeticStories.People;
        var things = ArithmeticStories.Things;
        switch (combine)
        {
            case CombineOperation.Difference:
                var (big, small) = stories[0].Result > stories[1].Result ? (stories[0], stories[1]) : (stories[1], stories[0]);
                t.Append("How many more "); t.Append(things[big.Thing]); t.Append(" does "); t.Append(people[big.Person]);
                t.Append(" have than "); t.Append(people[small.Person]); t.Append('?');
                break;
            case CombineOperation.Product:
                var (a, b) = (stories[0], stories[1]);
                t.Append("Each of "); t.Append(people[a.Person]); t.Append("'s "); t.Append(things[a.Thing]);
                t.Append(" is worth as many points as "); t.Append(people[b.Person]); t.Append(" has "); t.Append(things[b.Thing]);
                t.Append(". How many points are "); t.Append(people[a.Person]); t.Append("'s "); t.Append(things[a.Thing]);
                t.Append(" worth in total?");
                break;
            default:
                t.Append("How many "); t.Append(things[stories[0].Thing]); t.Append(" do ");
                for (var i = 0; i < stories.Length; i++)
                {
                    if (i > 0) t.Append(i == stories.Length - 1 ? " and " : ", ");
                    t.Append(people[stories[i].Person]);
                }
                t.Append(" have together?");
                break;
        }
    }
}
