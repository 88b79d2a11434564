using HierReason.Training.Preference;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Training.Tests.Preference;

public class SequenceLogProbsTests
{
    [Fact]
    public void Sums_the_log_probs_of_the_masked_in_labels_only()
    {
        // Row 0: softmax(0, ln 3) = (1/4, 3/4), softmax(0, 0) = (1/2, 1/2); labels (1, 0), both learned.
        // Row 1: softmax(ln 4, 0) = (4/5, 1/5), softmax(0, ln 9) = (1/10, 9/10); labels (0, 1), the first is prompt (mask 0).
        var logits = tensor(new float[] { 0, MathF.Log(3), 0, 0, MathF.Log(4), 0, 0, MathF.Log(9) }, [2, 2, 2]);
        var labels = tensor(new long[] { 1, 0, 0, 1 }, [2, 2]);
        var mask = tensor(new float[] { 1, 1, 0, 1 }, [2, 2]);
        using var sums = SequenceLogProbs.Sum(logits, labels, mask);
        var values = sums.data<float>().ToArray();
        Assert.Equal(2, values.Length);
        Assert.Equal(Math.Log(0.75) + Math.Log(0.5), values[0], 5);
        Assert.Equal(Math.Log(0.9), values[1], 5);
    }

    [Fact]
    public void Mismatched_shapes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => SequenceLogProbs.Sum(zeros(2, 3, 4), zeros(2, 2, dtype: ScalarType.Int64), zeros(2, 2)));
    }
}
