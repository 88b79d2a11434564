using HierReason.Core.Steps;
using HierReason.Training.Prm;

namespace HierReason.Training.Tests.Prm;

public class LabelQualityTests
{
    private const StepVerdict C = StepVerdict.Correct, I = StepVerdict.Incorrect, N = StepVerdict.Neutral;

    private static StepLabelRecord R(string id, string?[] outcomes, StepVerdict[] oracle) =>
        new(id, "chain_sum", 0, 1, "p", outcomes.Select((_, i) => $"step {i}").ToArray(), outcomes, oracle, false);

    /// <summary>Four trajectories with K = 4; the expected numbers below are worked by hand in the comments.</summary>
    private static readonly StepLabelRecord[] Records =
    [
        R("a", ["1111", "0100", "0000"], [C, C, I]),
        R("b", ["0000", "1000"], [I, I]),
        R("c", ["1100", "1111"], [C, N]),
        R("d", ["1110", "0000"], [C, C]),
    ];

    [Fact]
    public void F1_and_first_error_localisation_match_hand_computed_values_for_each_k()
    {
        var rows = LabelQuality.Of(Records);
        Assert.Equal(new[] { 1, 2, 4 }, rows.Select(r => r.K));

        // k = 4, hard (c > 0): a T,T,F vs C,C,I → TP TP TN; b F,T vs I,I → TN FP; c T vs C → TP (neutral skipped); d T,F vs C,C → TP FN.
        var k4 = rows[2];
        Assert.Equal(new BinaryCounts(4, 1, 1, 2), k4.Hard);
        Assert.Equal(0.8, k4.Hard.F1, 9);
        // soft (c/4 ≥ 0.5): a T,F,F → TP FN TN; b F,F → TN TN; c T → TP; d T,F → TP FN: F1 = 6 / 8.
        Assert.Equal(new BinaryCounts(3, 0, 2, 3), k4.Soft);
        Assert.Equal(0.75, k4.Soft.F1, 9);
        // Targets: a step 2, b step 0. Hard first negatives: a 2, b 0 → 2/2. Soft: a 1 (miss), b 0 → 1/2.
        Assert.Equal(2, k4.ErrorTrajectories);
        Assert.Equal(1.0, k4.HardLocalisation);
        Assert.Equal(0.5, k4.SoftLocalisation);
        // Clean trajectories c and d: c has no negative label, d does.
        Assert.Equal(2, k4.CleanTrajectories);
        Assert.Equal(0.5, k4.HardCleanAccuracy);

        // k = 1 reads the first rollout only: a T,F,F; b F,T; c T; d T,F → TP3 FP1 FN2 TN2, F1 = 6/9; a's first negative is step 1 (miss).
        var k1 = rows[0];
        Assert.Equal(new BinaryCounts(3, 1, 2, 2), k1.Hard);
        Assert.Equal(6.0 / 9, k1.Hard.F1, 9);
        Assert.Equal(0.5, k1.HardLocalisation);
        // k = 2: first two rollouts give the same hard labels as k = 4 here.
        Assert.Equal(new BinaryCounts(4, 1, 1, 2), rows[1].Hard);
        Assert.Equal(1.0, rows[1].HardLocalisation);
    }

    [Fact]
    public void Records_without_oracle_verdicts_give_no_rows_and_k_stops_at_the_smallest_K()
    {
        Assert.Empty(LabelQuality.Of([R("x", ["11"], [C]) with { Oracle = null }]));
        Assert.Equal(new[] { 1, 2, 4, 8 }, LabelQuality.DefaultKs(8));
        Assert.Equal(new[] { 1, 2, 4, 6 }, LabelQuality.DefaultKs(6));
        Assert.Equal(new[] { 1, 2 }, LabelQuality.Of([R("x", ["11"], [C]), R("y", ["1111"], [C])]).Select(r => r.K));
    }
}
