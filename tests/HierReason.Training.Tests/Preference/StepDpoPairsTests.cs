using HierReason.Core.Steps;
using HierReason.Core.Tasks;
using HierReason.Training.Preference;

namespace HierReason.Training.Tests.Preference;

public class StepDpoPairsTests
{
    private static readonly IStepChecker Checker = StepCheckerRegistry.Default.Get("chain_sum");

    /// <summary>A real chain_sum item whose gold trace has at least three step lines before the answer.</summary>
    private static TaskItem Item()
    {
        var task = TaskRegistry.Default.Get("chain_sum");
        for (var level = 0; level < task.Levels.Count; level++)
            foreach (var item in TaskDataset.Create(task, Split.Train, seed: 5, size: 20, level: level))
                if (StepLines.Split(item.Solution).Length >= 4) return item;
        throw new InvalidOperationException("no chain_sum item with three steps");
    }

    /// <summary>The gold trace with line 2's result off by one: a wrong step the checker calls Incorrect.</summary>
    private static (string[] Gold, string[] Planted) Planted(TaskItem item)
    {
        var gold = StepLines.Split(item.Solution);
        var planted = gold.ToArray();
        var equals = gold[2].LastIndexOf("= ", StringComparison.Ordinal);
        planted[2] = gold[2][..(equals + 2)] + (long.Parse(gold[2][(equals + 2)..]) + 1);
        return (gold, planted);
    }

    [Fact]
    public void A_planted_wrong_step_gives_the_correct_prefix_the_wrong_line_and_the_verified_gold_line()
    {
        var item = Item();
        var (gold, planted) = Planted(item);
        Assert.Equal(2, Checker.Judge(item, planted).FirstError);

        var pair = StepDpoPairs.ForItem(item, planted, Checker, StepDpoPairs.GoldAlternatives(item));

        Assert.NotNull(pair);
        Assert.Equal(item.Question, pair.Prompt);
        Assert.Equal(gold[0] + "\n" + gold[1] + "\n", pair.InitialReasonSteps);
        Assert.Equal(planted[2], pair.Rejected);
        Assert.Equal(gold[2], pair.Chosen);
        Assert.True(StepDpoPairs.IsCorrectNext(item, Checker, gold[..2], pair.Chosen));
        Assert.Equal(string.Join("\n", gold.Skip(2)), pair.FullChosen);
        Assert.Equal(string.Join("\n", planted.Skip(2)), pair.FullRejected);
    }

    [Fact]
    public void Alternatives_the_verifier_rejects_are_skipped_for_the_first_verified_one()
    {
        var item = Item();
        var (gold, planted) = Planted(item);
        var offered = new List<IReadOnlyList<string>>();
        IEnumerable<string> Sampler(IReadOnlyList<string> prefix)
        {
            offered.Add(prefix);
            return [planted[2], "1 + 1 = 3", gold[2] + "\n" + gold[3]];
        }

        var pair = StepDpoPairs.ForItem(item, planted, Checker, Sampler);

        Assert.Equal(gold[..2], Assert.Single(offered));
        Assert.Equal(gold[2], pair!.Chosen);
        Assert.Equal(gold[2] + "\n" + gold[3], pair.FullChosen);
    }

    [Fact]
    public void A_trace_without_an_incorrect_step_or_without_a_verified_alternative_gives_no_pair()
    {
        var item = Item();
        var (gold, planted) = Planted(item);
        Assert.Null(StepDpoPairs.ForItem(item, gold, Checker, StepDpoPairs.GoldAlternatives(item)));
        Assert.Null(StepDpoPairs.ForItem(item, planted, Checker, _ => ["1 + 1 = 3"]));
    }

    [Fact]
    public void Gold_alternatives_need_the_prefix_to_follow_the_gold_trace()
    {
        var item = Item();
        var gold = StepLines.Split(item.Solution);
        var alternatives = StepDpoPairs.GoldAlternatives(item);
        Assert.Empty(alternatives(["9 + 9 = 18"]));
        Assert.Equal(string.Join("\n", gold.Skip(1)), Assert.Single(alternatives([gold[0]])));
    }

    [Fact]
    public void Sampled_alternatives_are_single_lines_repeatable_from_the_seed_and_fall_back_to_gold_when_none_verifies()
    {
        var item = Item();
        var (gold, planted) = Planted(item);
        using var model = Sft.TinyRun.Model(seed: 1);
        var sampler = new StepAlternativeSampler(model, Sft.TinyRun.Tokenizer, Sft.TinyRun.Template, samples: 4, temperature: 1.0, maxLineTokens: 12, seed: 3);

        var lines = sampler.Sample(item.Question, gold[..2]);
        Assert.InRange(lines.Count, 1, 4);
        Assert.All(lines, l => Assert.DoesNotContain('\n', l));
        Assert.Equal(lines, sampler.Sample(item.Question, gold[..2]));

        // An untrained model's lines are noise the checker never calls Correct; the gold line is the fallback.
        var gold2 = StepDpoPairs.GoldAlternatives(item);
        var pair = StepDpoPairs.ForItem(item, planted, Checker, prefix => sampler.For(item)(prefix).Concat(gold2(prefix)));
        Assert.Equal(gold[2], pair!.Chosen);
    }
}
