using System.Text.Json;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Core.Tests.Results;

public class EpisodeStatsTests
{
    private static Dictionary<string, double> Stats(double decomposed, double subproblems, double tokens) =>
        new() { ["decomposed"] = decomposed, ["subproblems"] = subproblems, ["worker_tokens"] = tokens };

    // Four planner episodes: two decompose (2 and 3 sub-problems), one solves directly, one was cut off before the worker.
    private static EpisodeStats Four() => EpisodeStats.Of(
    [
        Stats(1, 2, 10),
        Stats(0, 0, 6),
        null,
        new Dictionary<string, double>(Stats(1, 3, 15)) { ["exact_combine"] = 1 },
    ])!;

    [Fact]
    public void Means_are_over_every_episode_and_a_missing_statistic_counts_zero()
    {
        var stats = Four();
        Assert.Equal(["decomposed", "exact_combine", "subproblems", "worker_tokens"], stats.Means.Keys);
        Assert.Equal(0.5, stats.Mean("decomposed"));
        Assert.Equal(1.25, stats.Mean("subproblems"));
        Assert.Equal(7.75, stats.Mean("worker_tokens"));
        Assert.Equal(0.25, stats.Mean("exact_combine"));
        Assert.Null(stats.Mean("parse_failed"));
    }

    [Fact]
    public void A_job_counts_cut_off_episodes_beside_what_the_environment_recorded()
    {
        var stats = EpisodeStats.Of([EpisodeStats.Episode(Stats(1, 2, 10), truncated: false), EpisodeStats.Episode(null, truncated: true)])!;
        Assert.Equal((0.5, 0.5, 1.0, 5.0), (stats.Mean("truncated")!.Value, stats.Mean("decomposed")!.Value, stats.Mean("subproblems")!.Value, stats.Mean("worker_tokens")!.Value));
    }

    [Fact]
    public void Episodes_without_statistics_have_none()
    {
        Assert.Null(EpisodeStats.Of([null, new Dictionary<string, double>()]));
    }

    [Fact]
    public void Seeds_pool_as_item_weighted_means_and_a_seed_without_statistics_leaves_the_cell_without()
    {
        var other = EpisodeStats.Of([Stats(1, 2, 4), Stats(1, 2, 4)]);
        var pooled = EpisodeStats.Pool([(4, Four()), (2, other)])!;
        Assert.Equal(4 / 6.0, pooled.Mean("decomposed")!.Value, 12); // (2 + 2) / 6
        Assert.Equal(1.5, pooled.Mean("subproblems")!.Value, 12); // (5 + 4) / 6
        Assert.Equal(6.5, pooled.Mean("worker_tokens")!.Value, 12); // (31 + 8) / 6
        Assert.Equal(1 / 6.0, pooled.Mean("exact_combine")!.Value, 12);
        Assert.Null(EpisodeStats.Pool([(4, Four()), (2, null)]));
        Assert.Equal(Four(), EpisodeStats.Pool([(4, Four()), (0, null)]));
    }

    [Fact]
    public void A_result_writes_them_as_a_plain_object_and_reads_back_equal()
    {
        var result = new JobResult("k", JobResult.Succeeded, "multi_step_arithmetic", "O-gold-plan", "test", 0, 4, 0.75, 0.25, 3, 3, 1, 0, 0, 1, "cpu:0",
            DateTimeOffset.UnixEpoch, Strategy: "planner_worker", Stats: Four());
        var json = JsonSerializer.Serialize(result, HierJson.Options);
        Assert.Contains("\"stats\":{\"decomposed\":0.5,\"exact_combine\":0.25,\"subproblems\":1.25,\"worker_tokens\":7.75}", json);
        Assert.Equal(result, JsonSerializer.Deserialize<JobResult>(json, HierJson.Options));
        Assert.DoesNotContain("\"stats\"", JsonSerializer.Serialize(result with { Stats = null }, HierJson.Options));
    }
}
