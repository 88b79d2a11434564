using System.Globalization;
using HierReason.Training.Runs;

namespace HierReason.Training.Tests.Runs;

public sealed class TrainingCurvesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-curves-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Centred_mean_averages_each_point_with_its_neighbours_and_cuts_the_window_at_the_ends()
    {
        double[] ys = [1, 2, 3, 10, 5];
        Assert.Equal([1.5, 2, 5, 6, 7.5], TrainingCurves.CentredMean(ys, 3));
        Assert.Equal([2, 4, 4.2, 5, 6], TrainingCurves.CentredMean(ys, 5).Select(v => Math.Round(v, 12)));
        Assert.Equal(ys, TrainingCurves.CentredMean(ys, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingCurves.CentredMean(ys, 4));
    }

    [Theory]
    [InlineData(5, 3)]
    [InlineData(30, 3)]
    [InlineData(40, 5)]
    [InlineData(100, 11)]
    [InlineData(800, 51)]
    public void The_smoothing_window_is_about_a_tenth_of_the_run_odd_and_between_3_and_51(int points, int window) =>
        Assert.Equal(window, TrainingCurves.SmoothingWindow(points));

    /// <summary>40 GRPO steps whose reward rises by 1/40 a step under a ±0.2 zigzag, no KL; evaluations at steps 0, 20, 40.</summary>
    private void WriteRun()
    {
        var metrics = Enumerable.Range(1, 40).Select(i => string.Create(CultureInfo.InvariantCulture,
            $$"""{"step":{{i}},"reward":{"mean":{{i / 40.0 + (i % 2 == 0 ? 0.2 : -0.2)}},"std":0.1},"accuracy":{{i / 80.0}},"completion_length_mean":{{30 - i % 3}}}"""));
        File.WriteAllLines(Path.Combine(_dir, "metrics.jsonl"), metrics);
        File.WriteAllLines(Path.Combine(_dir, "eval.jsonl"),
        [
            """{"step":0,"chain_sum":{"n":50,"accuracy":0.1,"stderr":0.04,"format_rate":1},"leg_counting":{"n":50,"accuracy":0.3,"stderr":0.06,"format_rate":1}}""",
            """{"step":20,"chain_sum":{"n":50,"accuracy":0.2,"stderr":0.05,"format_rate":1},"leg_counting":{"n":50,"accuracy":0.32,"stderr":0.06,"format_rate":1}}""",
            """{"step":40,"chain_sum":{"n":50,"accuracy":0.4,"stderr":0.07,"format_rate":1},"leg_counting":{"n":50,"accuracy":0.35,"stderr":0.06,"format_rate":1}}""",
        ]);
    }

    [Fact]
    public void Grpo_panels_show_the_rollout_reward_raw_and_smoothed_and_held_out_accuracy_per_task_second()
    {
        WriteRun();
        var panels = TrainingCurves.Panels(_dir, TrainingCurves.GrpoSeries);

        Assert.Equal(["rollout reward (mean over the step's completions)", "held-out accuracy (eval.jsonl, greedy, n = 50 per task)", "rollout accuracy", "completion length (mean)"],
            panels.Select(p => p.Title));
        var reward = panels[0].Lines;
        Assert.Equal(["per step", "centred mean of 5 steps"], reward.Select(l => l.Label));
        Assert.Equal(40, reward[0].Ys.Count);
        // Index 10 is step 11; its window is steps 9..13: the trend gives 11 / 40, the zigzag −0.2 + 0.2 − 0.2 + 0.2 − 0.2 = −0.2 over 5 points.
        Assert.Equal(11 / 40.0 - 0.04, reward[1].Ys[10], 12);
        Assert.True(reward[1].Ys[^1] - reward[1].Ys[0] > 0.8, "the smoothed reward rises over the run");
        var heldOut = panels[1].Lines;
        Assert.Equal(["chain_sum", "leg_counting"], heldOut.Select(l => l.Label));
        Assert.Equal([0.0, 20, 40], heldOut[0].Xs);
        Assert.Equal([0.1, 0.2, 0.4], heldOut[0].Ys);
        Assert.Equal([0.3, 0.32, 0.35], heldOut[1].Ys);
        Assert.NotEqual(heldOut[0].Colour, heldOut[1].Colour);
    }

    [Fact]
    public void The_learning_rate_is_drawn_alone_and_a_run_without_evaluations_has_no_held_out_panel()
    {
        File.WriteAllLines(Path.Combine(_dir, "metrics.jsonl"), Enumerable.Range(1, 12).Select(i => $$"""{"step":{{i}},"loss":{{3.0 / i}},"lr":0.001}"""));
        var panels = TrainingCurves.Panels(_dir, TrainingCurves.SftSeries);
        Assert.Equal(["loss", "learning rate"], panels.Select(p => p.Title));
        Assert.Equal(2, panels[0].Lines.Count);
        Assert.Single(panels[1].Lines);
    }

    [Fact]
    public void The_png_draws_the_smoothed_line_in_the_reward_panel_and_each_tasks_accuracy_in_the_held_out_panel()
    {
        WriteRun();
        Assert.True(TrainingCurves.Save(_dir, TrainingCurves.GrpoSeries, "run"));
        var png = Path.Combine(_dir, TrainingCurves.FileName);
        const int h = TrainingCurves.PanelHeight;

        Assert.Equal((TrainingCurves.Width, 4 * h), Png.Size(png));
        Assert.True(Png.CountColour(png, TrainingCurves.SmoothedColour, 0, h) > 300, "no smoothed reward line in the first panel");
        Assert.True(Png.CountColour(png, TrainingCurves.RawColour, 0, h) > 100, "no raw reward line in the first panel");
        foreach (var colour in TrainingCurves.EvalPalette.Take(2))
        {
            Assert.True(Png.CountColour(png, colour, h, 2 * h) > 150, $"no {colour} held-out accuracy line in the second panel");
            Assert.True(Png.CountColour(png, colour, 0, h) < 5, $"{colour} drawn outside the held-out panel");
        }
    }
}
