using System.Text.Json.Nodes;
using HierReason.Cli;
using HierReason.Harness.Reporting;

namespace HierReason.Harness.Tests.Running;

/// <summary>
/// A models.json composite end to end: a calculator row beside the vanilla row of the same model, through real workers,
/// into the results JSON, summary.md, the charts' labels, verify and the sample log.
/// </summary>
public sealed class StrategyBenchTests(WorkerFixture fixture) : IClassFixture<WorkerFixture>
{
    [Fact]
    public async Task A_calculator_row_runs_beside_the_vanilla_row_and_every_output_names_the_strategy()
    {
        var dir = fixture.Dir.Combine("strategy");
        var models = fixture.Dir.Write("strategy-models.json", """
            { "models": [
                { "name": "tiny", "backend": "local", "path": "tiny", "generation": { "max_new_tokens": 24 } },
                { "name": "tiny-calc", "strategy": "calculator", "model": "tiny", "options": { "max_calls": 2 } }
            ] }
            """);
        var tasks = fixture.Dir.Write("strategy-tasks.json", """{ "tasks": [ { "task": "basic_arithmetic", "level": 0 } ], "defaults": { "n": 3 } }""");
        var results = Path.Combine(dir, "results");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await HierReasonCli.RunAsync(["bench", "--models-file", models, "--tasks-file", tasks, "--task-configs", RepoPaths.TaskConfigs,
            "--runs", Path.Combine(dir, "runs"), "--output", results, "--threads", "1"], stdout, stderr);
        Assert.True(code == 0, stdout + "\n" + stderr);

        // Results JSON: one row per (task, model, strategy).
        var summaryFile = ResultsFile.ResolveSummaryPath(results);
        var rows = JsonNode.Parse(File.ReadAllText(summaryFile))!["rows"]!.AsArray();
        Assert.Equal(["tiny/vanilla", "tiny-calc/calculator"], rows.Select(r => $"{r!["model"]}/{r["strategy"]}"));
        var perTask = Directory.GetFiles(results, "results_basic_arithmetic_*.json").Single();
        Assert.Equal(["vanilla", "calculator"], JsonNode.Parse(File.ReadAllText(perTask))!["rows"]!.AsArray().Select(r => (string)r!["strategy"]!));

        // summary.md: the strategy row under the header.
        var markdown = File.ReadAllText(Path.Combine(results, "summary.md"));
        Assert.Contains("| *strategy* | *vanilla* | *calculator* |", markdown);

        // Charts label the composite with its strategy.
        var summary = ResultsFile.LoadSummary(summaryFile);
        Assert.Equal(["tiny", "tiny-calc (calculator)"], ChartBuilder.Summary(summary).Legend);

        // verify: accepted, it passes; the snapshot keys rows by strategy too, and the table shows it.
        var approved = Path.Combine(dir, "approved.json");
        Assert.Equal(0, await HierReasonCli.RunAsync(["verify", results, "--approved", approved, "--accept"], new StringWriter(), new StringWriter()));
        Assert.Contains("\"strategy\": \"calculator\"", File.ReadAllText(approved));
        var verifyOut = new StringWriter();
        Assert.Equal(0, await HierReasonCli.RunAsync(["verify", results, "--approved", approved], verifyOut, new StringWriter()));
        Assert.Contains("tiny-calc (calculator)", verifyOut.ToString());

        // The sample log of the calculator job keeps every segment with its actor; the vanilla one stays as it was.
        var samples = Directory.GetFiles(Path.Combine(dir, "runs"), "*.jsonl", SearchOption.AllDirectories)
            .Where(f => f.Contains("/jobs/", StringComparison.Ordinal))
            .Select(f => File.ReadAllLines(f).Select(l => JsonNode.Parse(l)!.AsObject()).ToList()).ToList();
        var calcSamples = samples.Single(s => s[0].ContainsKey("segments"));
        Assert.Equal(3, calcSamples.Count);
        Assert.All(calcSamples, s => Assert.Equal("prompt", (string)s["segments"]![0]!["actor"]!));
        Assert.All(calcSamples, s => Assert.Contains("<calc>expression</calc>", (string)s["segments"]![0]!["text"]!));
        Assert.Contains(samples, s => !s[0].ContainsKey("segments"));
    }
}
