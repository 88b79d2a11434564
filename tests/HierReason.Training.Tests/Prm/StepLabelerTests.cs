using HierReason.Core.Steps;
using HierReason.Core.Tasks;
using HierReason.Training.Prm;

namespace HierReason.Training.Tests.Prm;

public class StepLabelerTests
{
    private static readonly IReasoningTask ChainSum = TaskRegistry.Default.Get("chain_sum");

    private static TaskItem[] Items(int n) => TaskDataset.Create(ChainSum, Split.Train, 0, n).ToArray();

    /// <summary>The gold first step, the planted wrong line, one more line and an answer line (dropped: not a step).</summary>
    private static ScriptedSampler PlantedSampler(TaskItem[] items, double p = 0.75)
    {
        var byQuestion = items.ToDictionary(i => i.Question);
        return new ScriptedSampler(q => byQuestion[q].Answer,
            q => byQuestion[q].Solution.Split('\n')[0] + "\n" + ScriptedSampler.Wrong + "\nso that is it\n<answer>-1</answer>", p);
    }

    [Fact]
    public void Soft_labels_converge_to_the_step_success_probabilities_and_hard_labels_are_exact_where_it_is_zero()
    {
        var items = Items(3);
        var options = new StepLabelOptions { Solutions = 2, K = 4000, AllSteps = true };
        var records = new StepLabeler(PlantedSampler(items), options).Label(items, ChainSum, StepCheckerRegistry.Default.Get("chain_sum"));

        Assert.Equal(6, records.Count);
        foreach (var r in records)
        {
            Assert.Equal(3, r.Steps.Count);
            Assert.Equal(ScriptedSampler.Wrong, r.Steps[1]);
            Assert.InRange(r.Successes(0, 4000)!.Value / 4000.0, 0.72, 0.78);
            Assert.Equal(0, r.Successes(1, 4000));
            Assert.Equal(0, r.Successes(2, 4000));
            Assert.Equal(new[] { StepVerdict.Correct, StepVerdict.Neutral, StepVerdict.Neutral }, r.Oracle);
            Assert.False(r.FinalCorrect);
            Assert.Equal(2, r.ItemRecords);
            var json = r.ToJson(LabelKind.Hard);
            Assert.Equal(new[] { true, false, false }, json["labels"]!.AsArray().Select(l => (bool)l!).ToArray());
        }
    }

    [Fact]
    public void One_labelling_call_samples_all_solutions_then_all_rollouts_of_all_states()
    {
        var items = Items(4);
        var sampler = PlantedSampler(items);
        var labeler = new StepLabeler(sampler, new StepLabelOptions { Solutions = 3, K = 2, AllSteps = true });
        labeler.Label(items, ChainSum, null);
        Assert.Equal(2, sampler.Calls.Count);
        Assert.Equal(4, sampler.Calls[0].Count);
        Assert.Equal(4 * 3 * 3, sampler.Calls[1].Count);
        Assert.Equal((12, 36, 72), labeler.LastWork);
        // A state is the solution up to and including its line, and the separator after it.
        Assert.EndsWith(ScriptedSampler.Wrong + "\n", sampler.Calls[1][1].Prefix);
    }

    [Fact]
    public void A_trajectory_ends_at_its_last_state_and_unchosen_steps_take_the_next_states_value()
    {
        var items = Items(1);
        var byQuestion = items.ToDictionary(i => i.Question);
        // Ten non-answer lines; the planted line is the last, so every state before it can succeed.
        var sampler = new ScriptedSampler(q => byQuestion[q].Answer, _ => string.Join("\n", Enumerable.Range(1, 10).Select(i => $"line {i}")), p: 1.0);
        var options = new StepLabelOptions { Solutions = 1, K = 2, RatioS = 0.2, Ratio = 0.3, Seed = 5 };
        var record = Assert.Single(new StepLabeler(sampler, options).Label(items, ChainSum, null));
        var chosen = StateSelection.Choose(10, 0.2, 0.3, false, StateSelection.RngFor(5, items[0].Id, 0));
        Assert.Equal(chosen[^1] + 1, record.Steps.Count);
        Assert.Equal(chosen, Enumerable.Range(0, record.Steps.Count).Where(j => record.Outcomes[j] is not null));
        var json = record.ToJson(LabelKind.Count);
        Assert.All(json["labels"]!.AsArray(), l => Assert.Equal(2, (int)l!));
        Assert.Equal(chosen.Count, json["labelled"]!.AsArray().Count(l => (bool)l!));
    }

    [Fact]
    public void State_selection_starts_at_ratio_s_is_seeded_and_reproducible()
    {
        var a = StateSelection.Choose(20, 0.2, 0.3, false, StateSelection.RngFor(7, "item", 1));
        var b = StateSelection.Choose(20, 0.2, 0.3, false, StateSelection.RngFor(7, "item", 1));
        Assert.Equal(a, b);
        Assert.Equal(4, a[0]);
        Assert.True(a.Zip(a.Skip(1)).All(p => p.First < p.Second));
        var others = Enumerable.Range(0, 20).Select(s => StateSelection.Choose(20, 0.2, 0.3, false, StateSelection.RngFor(s, "item", 1))).ToArray();
        Assert.Contains(others, o => !o.SequenceEqual(a));
        // About 0.3 of the 15 later steps, over many draws.
        var mean = Enumerable.Range(0, 2000).Average(s => StateSelection.Choose(20, 0.2, 0.3, false, StateSelection.RngFor(s, "x", 0)).Count - 1);
        Assert.InRange(mean, 15 * 0.3 - 0.3, 15 * 0.3 + 0.3);
        Assert.Equal(new[] { 4 }, StateSelection.Choose(20, 0.2, 0.0, false, new Random(1)));
        Assert.Equal(Enumerable.Range(4, 16), StateSelection.Choose(20, 0.2, 1.0, false, new Random(1)));
        Assert.Equal(Enumerable.Range(0, 20), StateSelection.Choose(20, 0.2, 0.3, true, new Random(1)));
        Assert.Empty(StateSelection.Choose(0, 0.2, 0.3, false, new Random(1)));
    }

    [Fact]
    public void Steps_are_non_blank_lines_without_the_final_answer_line()
    {
        var steps = SolutionSteps.Of("12 + 3 = 15\n\n15 + 4 = 19\n<answer>19</answer>");
        Assert.Equal(new[] { 0, 2 }, steps.StepLines);
        Assert.Equal("15 + 4 = 19", steps.Step(1));
        Assert.Equal("12 + 3 = 15\n\n15 + 4 = 19\n", steps.Prefix(1));
        Assert.Equal(0, SolutionSteps.Of("<answer>19</answer>").Count);
        Assert.Equal(0, SolutionSteps.Of("").Count);
    }
}
