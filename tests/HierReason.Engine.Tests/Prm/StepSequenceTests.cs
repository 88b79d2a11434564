using HierReason.Engine.Prm;
using HierReason.Engine.Tokenizers;
using Xunit;

namespace HierReason.Engine.Tests.Prm;

public sealed class StepSequenceTests
{
    private static readonly ByteTokenizer Tokenizer = new();

    [Fact]
    public void Each_step_is_labelled_at_the_separator_that_ends_it()
    {
        // Bytes are their own ids: "Q:" = 0..1, "ab" = 2..3, "\n" = 4, "" then "\n" = 5, "c" = 6, "\n" = 7.
        var sequence = StepSequence.Build(Tokenizer, "Q:", ["ab", "", "c"]);

        Assert.Equal(new[] { 'Q', ':', 'a', 'b', '\n', '\n', 'c', '\n' }.Select(c => (int)c), sequence.Ids);
        Assert.Equal([4, 5, 7], sequence.LabelPositions);
        Assert.Equal(0, sequence.TruncatedSteps);
    }

    [Fact]
    public void A_multi_token_separator_is_labelled_at_its_last_token()
    {
        var sequence = StepSequence.Build(Tokenizer, "P", ["x", "yz"], separator: " ;\n");

        Assert.Equal("Px ;\nyz ;\n", Tokenizer.Decode(sequence.Ids));
        Assert.Equal([4, 9], sequence.LabelPositions);
    }

    [Fact]
    public void Steps_whose_separator_falls_past_max_length_are_cut_and_counted()
    {
        var sequence = StepSequence.Build(Tokenizer, "Q:", ["ab", "", "c"], maxLength: 7);

        Assert.Equal(7, sequence.Ids.Length);
        Assert.Equal([4, 5], sequence.LabelPositions);
        Assert.Equal(3, sequence.TotalSteps);
        Assert.Equal(1, sequence.TruncatedSteps);
    }
}
