using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

public class DifficultyCurriculumTests
{
    private static readonly IReasoningTask Legs = TaskRegistry.Default.Get("leg_counting");

    private static DifficultyCurriculum Curriculum(int window = 10, int minSamples = 5, int start = 0)
        => new(Legs, new CurriculumOptions { Window = window, MinSamples = minSamples }, start);

    private static CurriculumMove[] RecordAll(DifficultyCurriculum c, params double[] scores)
        => scores.Select(c.Record).ToArray();

    [Fact]
    public void Defaults_are_a_window_of_64_promoting_at_point_8_and_demoting_at_point_3()
    {
        var o = new CurriculumOptions();
        Assert.Equal((64, 0.8, 0.3), (o.Window, o.PromoteAt, o.DemoteAt));
    }

    [Fact]
    public void Promotes_once_min_samples_scores_average_at_least_the_threshold()
    {
        var c = Curriculum();
        var moves = RecordAll(c, 1, 1, 1, 1, 1);
        Assert.Equal([CurriculumMove.Stay, CurriculumMove.Stay, CurriculumMove.Stay, CurriculumMove.Stay, CurriculumMove.Promoted], moves);
        Assert.Equal(1, c.Level);
        Assert.Equal(Legs.Levels[1], c.Config);
        Assert.Equal(0, c.Samples);
    }

    [Fact]
    public void A_mean_of_exactly_the_promote_threshold_promotes()
    {
        var c = Curriculum();
        RecordAll(c, 1, 1, 0, 1, 1); // 0.8
        Assert.Equal(1, c.Level);
    }

    [Fact]
    public void Demotes_when_the_mean_falls_to_the_demote_threshold()
    {
        var c = Curriculum(start: 2);
        var moves = RecordAll(c, 0, 1, 0, 0, 0.5); // mean 0.3
        Assert.Equal(CurriculumMove.Demoted, moves[^1]);
        Assert.Equal(1, c.Level);
    }

    [Fact]
    public void Scores_between_the_thresholds_keep_the_level()
    {
        var c = Curriculum(start: 1);
        for (var i = 0; i < 200; i++) Assert.Equal(CurriculumMove.Stay, c.Record(i % 2));
        Assert.Equal(1, c.Level);
        Assert.Equal(0.5, c.Mean);
    }

    [Fact]
    public void Needs_min_samples_since_the_last_change_before_moving_again()
    {
        var c = Curriculum();
        RecordAll(c, 1, 1, 1, 1, 1);
        Assert.Equal(1, c.Level);
        var moves = RecordAll(c, 1, 1, 1, 1);
        Assert.All(moves, m => Assert.Equal(CurriculumMove.Stay, m));
        Assert.Equal(CurriculumMove.Promoted, c.Record(1));
        Assert.Equal(2, c.Level);
    }

    [Fact]
    public void Old_scores_roll_out_of_the_window()
    {
        var c = Curriculum(window: 4, minSamples: 4);
        var moves = RecordAll(c, 0, 0, 0, 0, 1, 1, 1, 1);
        Assert.Equal(CurriculumMove.Promoted, moves[^1]);
        Assert.All(moves[..^1], m => Assert.Equal(CurriculumMove.Stay, m));
    }

    [Fact]
    public void Stays_at_the_hardest_and_easiest_levels()
    {
        var top = Curriculum(start: Legs.Levels.Count - 1);
        Assert.All(RecordAll(top, Enumerable.Repeat(1.0, 30).ToArray()), m => Assert.Equal(CurriculumMove.Stay, m));
        Assert.Equal(Legs.Levels.Count - 1, top.Level);
        var bottom = Curriculum();
        Assert.All(RecordAll(bottom, Enumerable.Repeat(0.0, 30).ToArray()), m => Assert.Equal(CurriculumMove.Stay, m));
        Assert.Equal(0, bottom.Level);
    }

    [Fact]
    public void Scores_outside_zero_to_one_are_clamped()
    {
        var c = Curriculum(start: 1);
        RecordAll(c, 5, 5, -3, -3, double.NaN);
        Assert.Equal(0.4, c.Mean, 10);
        Assert.Equal(1, c.Level);
    }

    [Theory]
    [InlineData(0, 0.8, 0.3, 1, "$.window")]
    [InlineData(64, 1.5, 0.3, 32, "$.promote_at")]
    [InlineData(64, 0.5, 0.5, 32, "$.demote_at")]
    [InlineData(64, 0.8, 0.3, 65, "$.min_samples")]
    public void Invalid_options_name_the_field(int window, double promote, double demote, int minSamples, string path)
    {
        var options = new CurriculumOptions { Window = window, PromoteAt = promote, DemoteAt = demote, MinSamples = minSamples };
        var e = Assert.Throws<ConfigException>(() => new DifficultyCurriculum(Legs, options));
        Assert.Equal(path, e.JsonPath);
    }

    [Fact]
    public void A_start_level_outside_the_levels_is_rejected()
        => Assert.Throws<HierReasonException>(() => Curriculum(start: Legs.Levels.Count));
}
