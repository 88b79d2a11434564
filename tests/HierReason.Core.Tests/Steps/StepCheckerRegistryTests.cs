using HierReason.Core.Steps;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Steps;

public class StepCheckerRegistryTests
{
    [Fact]
    public void Registry_knows_exactly_the_five_checked_tasks()
        => Assert.Equal(
            ["chain_sum", "mini_sudoku", "multi_step_arithmetic", "shortest_path", "tower_of_hanoi"],
            StepCheckerRegistry.Default.Tasks.Order(StringComparer.Ordinal));

    [Fact]
    public void Every_checked_task_is_a_registered_task_whose_items_the_checker_judges()
    {
        foreach (var checker in StepCheckerRegistry.Default.All)
        {
            var task = TaskRegistry.Default.TryGet(checker.Task);
            Assert.True(task is not null, $"step checker for unknown task '{checker.Task}'");
            var item = TaskDataset.Create(task, Split.Train, seed: 0, size: 1)[0];
            Assert.Equal(StepLines.Split(item.Solution).Length, checker.Judge(item, StepLines.Split(item.Solution)).Verdicts.Count);
        }
    }

    [Fact]
    public void Has_says_which_tasks_have_a_checker()
    {
        Assert.True(StepCheckerRegistry.Default.Has("tower_of_hanoi"));
        Assert.False(StepCheckerRegistry.Default.Has("leg_counting"));
        Assert.False(StepCheckerRegistry.Default.Has("Tower_Of_Hanoi"));
        Assert.Null(StepCheckerRegistry.Default.TryGet("countdown"));
    }

    [Fact]
    public void Asking_for_a_missing_checker_names_the_task_and_the_ones_that_exist()
    {
        var e = Assert.Throws<HierReasonException>(() => StepCheckerRegistry.Default.Get("leg_counting"));
        Assert.Contains("'leg_counting'", e.Message);
        Assert.Contains("chain_sum", e.Message);
    }

    [Fact]
    public void A_checker_refuses_an_item_of_another_task()
    {
        var item = TaskDataset.Create("chain_sum", Split.Train, 0, 1)[0];
        var e = Assert.Throws<ArgumentException>(() => StepCheckerRegistry.Default.Get("mini_sudoku").Judge(item, ["r1c1 = 1"]));
        Assert.Contains("chain_sum", e.Message);
    }

    [Fact]
    public void Registering_two_checkers_for_one_task_is_refused()
        => Assert.Throws<ArgumentException>(() => new StepCheckerRegistry([new ChainSumStepChecker(), new ChainSumStepChecker()]));
}
