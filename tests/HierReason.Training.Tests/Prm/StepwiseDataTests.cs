using HierReason.Training.Prm;
using Xunit;

namespace HierReason.Training.Tests.Prm;

public sealed class StepwiseDataTests
{
    [Fact]
    public void Trl_lines_read_with_bool_and_soft_labels_and_unknown_fields_ignored()
    {
        var example = StepwiseData.Parse("""{"prompt":"Q","completions":["a","b","c"],"labels":[true,false,0.25],"item_id":7,"k":4}""", "x:1", requireLabels: true);
        Assert.Equal("Q", example.Prompt);
        Assert.Equal(["a", "b", "c"], example.Steps);
        Assert.Equal([1.0, 0.0, 0.25], example.Labels!);
    }

    [Fact]
    public void A_label_count_that_differs_from_the_steps_names_the_line()
    {
        var error = Assert.Throws<TrainingException>(() => StepwiseData.Parse("""{"prompt":"Q","completions":["a"],"labels":[true,false]}""", "data.jsonl:3", requireLabels: true));
        Assert.StartsWith("data.jsonl:3: $.labels", error.Message);
    }

    [Fact]
    public void Unlabelled_lines_are_accepted_for_scoring_only()
    {
        Assert.Null(StepwiseData.Parse("""{"prompt":"Q","completions":["a"]}""", "x:1", requireLabels: false).Labels);
        Assert.Throws<TrainingException>(() => StepwiseData.Parse("""{"prompt":"Q","completions":["a"]}""", "x:1", requireLabels: true));
    }
}
