using HierReason.Core.Steps;

namespace HierReason.Core.Tests.Steps;

public class StepJudgementTests
{
    [Fact]
    public void First_error_is_the_first_incorrect_line()
    {
        var j = new StepJudgement([StepVerdict.Neutral, StepVerdict.Correct, StepVerdict.Incorrect, StepVerdict.Incorrect]);
        Assert.Equal(2, j.FirstError);
        Assert.Equal(1, j.Count(StepVerdict.Correct));
        Assert.Equal(2, j.Count(StepVerdict.Incorrect));
        Assert.Null(j.DistanceToGoal);
    }

    [Fact]
    public void No_incorrect_line_means_no_first_error()
    {
        Assert.Null(new StepJudgement([StepVerdict.Neutral, StepVerdict.Correct]).FirstError);
        Assert.Null(new StepJudgement([]).FirstError);
    }

    [Fact]
    public void A_judgement_does_not_change_when_its_source_array_does()
    {
        StepVerdict[] verdicts = [StepVerdict.Correct, StepVerdict.Correct];
        int?[] distances = [1, 0];
        var j = new StepJudgement(verdicts, distances);
        verdicts[0] = StepVerdict.Incorrect;
        distances[0] = 99;
        Assert.Equal([StepVerdict.Correct, StepVerdict.Correct], j.Verdicts);
        Assert.Equal([1, 0], j.DistanceToGoal!);
        Assert.Null(j.FirstError);
    }

    [Fact]
    public void Distances_must_match_the_verdicts_line_for_line()
        => Assert.Throws<ArgumentException>(() => new StepJudgement([StepVerdict.Correct], [1, 2]));

    [Fact]
    public void Judgements_that_say_the_same_of_every_line_are_equal()
    {
        Assert.Equal(new StepJudgement([StepVerdict.Correct], [0]), new StepJudgement([StepVerdict.Correct], [0]));
        Assert.NotEqual(new StepJudgement([StepVerdict.Correct], [0]), new StepJudgement([StepVerdict.Correct], [1]));
        Assert.NotEqual(new StepJudgement([StepVerdict.Correct], [0]), new StepJudgement([StepVerdict.Correct]));
        Assert.NotEqual(new StepJudgement([StepVerdict.Correct]), new StepJudgement([StepVerdict.Incorrect]));
    }
}
