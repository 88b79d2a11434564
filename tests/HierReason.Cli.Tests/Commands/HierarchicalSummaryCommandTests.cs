using System.Text.Json;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Harness.Hierarchical;

namespace HierReason.Cli.Tests.Commands;

public sealed class HierarchicalSummaryCommandTests : IDisposable
{
    private readonly ReportingFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private static ScoreRow Planner(string model, double accuracy, double decomposed) =>
        ReportingFixture.Row("multi_step_arithmetic", model, accuracy, 0.03, 200) with
        {
            Strategy = "planner_worker",
            Stats = new EpisodeStats(new Dictionary<string, double> { ["decomposed"] = decomposed, ["subproblems"] = 2 * decomposed, ["worker_tokens"] = 40 }),
        };

    [Fact]
    public async Task A_results_folder_gets_the_report_printed_and_written_beside_it()
    {
        _fx.WriteSummary(
        [
            ReportingFixture.Row("multi_step_arithmetic", "A-worker", 0.20, 0.03, 200),
            Planner("C-grpo-planner", 0.35, 0.9),
            Planner("O-gold-plan", 0.50, 1.0),
        ]);

        var run = await CliRun.Of("hierarchical-summary", _fx.Dir);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("- Gap closed (C − A) / (O − A): 0.50 ±", run.Out, StringComparison.Ordinal);
        var report = JsonSerializer.Deserialize<HierarchicalReport>(File.ReadAllText(_fx.PathOf("hierarchical.json")), HierJson.Options)!;
        var task = Assert.Single(report.Tasks);
        Assert.Equal(["A", "C", "O"], task.Configurations.Select(c => c.Letter));
        Assert.Equal(0.9, task.Configurations[1].Decomposed);
        Assert.Equal(0.5, task.GapClosed!.Value, 12);
        Assert.StartsWith("# Planner / worker (issue 19)", File.ReadAllText(_fx.PathOf("hierarchical.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_without_lettered_models_exit_2_and_say_which_names_it_reads()
    {
        var run = await CliRun.Of("hierarchical-summary", _fx.WriteSummary());
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no scored row of a model named after a configuration letter", run.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(_fx.PathOf("hierarchical.json")));
    }
}
