using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Cli.Tests.Commands;

public sealed class HistoryCommandTests : IDisposable
{
    private const string CommitA = "aaaaaaa1111111111111111111111111111111111";
    private const string CommitB = "bbbbbbb2222222222222222222222222222222222";

    private readonly ReportingFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private string Runs => Path.Combine(_fx.Dir, "runs");

    private string Out => Path.Combine(Runs, "history");

    private static ScoreRow Row(string task, string model, double accuracy, double? low = null, double? high = null, int n = 200) =>
        new(task, model, accuracy, Math.Sqrt(accuracy * (1 - accuracy) / n), n, 1.0, 30.0, 1, 0, Questions: n, CiLow: low, CiHigh: high);

    // Written as ResultsWriter writes a results_all_tasks file, into a folder per run.
    private string WriteRun(string folder, string timestamp, int minute, string? commit, params ScoreRow[] rows)
    {
        var summary = ReportingFixture.Summary(rows) with
        {
            Run = new RunMetadata(folder, timestamp, new DateTimeOffset(2026, 1, 2, 3, minute, 0, TimeSpan.Zero), 1.0, commit, "test", ["cpu:0"],
                new Dictionary<string, string>()),
        };
        var path = Path.Combine(Runs, folder, $"results_all_tasks_{timestamp}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(summary, HierJson.Indented) + "\n");
        return path;
    }

    // Three runs over two commits; the folder names sort against time order, so the order must come from started_at.
    private void WriteThreeRuns()
    {
        WriteRun("c-first", "20260102-030000", 0, CommitA,
            Row("leg_counting", "tiny-sft", 0.125, 0.074, 0.191), Row("chain_sum", "tiny-sft", 0.40));
        WriteRun("b-second", "20260102-031000", 10, CommitB,
            Row("leg_counting", "tiny-sft", 0.15, 0.10, 0.21));
        WriteRun("a-third", "20260102-032000", 20, CommitB,
            Row("leg_counting", "tiny-sft", 0.45, 0.38, 0.52), Row("chain_sum", "tiny-sft", 0.42));
    }

    private JsonObject HistoryJson() => JsonNode.Parse(File.ReadAllText(Path.Combine(Out, "history.json")))!.AsObject();

    [Fact]
    public async Task Three_runs_of_two_commits_give_each_row_its_points_in_run_order_with_intervals()
    {
        WriteThreeRuns();
        var run = await CliRun.Of("history", Runs);
        Assert.Equal(0, run.ExitCode);

        var json = HistoryJson();
        Assert.Equal(["aaaaaaa", "bbbbbbb", "bbbbbbb (2)"], json["runs"]!.AsArray().Select(r => (string)r!["label"]!));
        var rows = json["rows"]!.AsArray();
        Assert.Equal(2, rows.Count);

        var legs = rows[0]!;
        Assert.Equal(("leg_counting", "tiny-sft", "vanilla"), ((string)legs["cell"]!, (string)legs["model"]!, (string)legs["strategy"]!));
        var points = legs["points"]!.AsArray();
        Assert.Equal([CommitA, CommitB, CommitB], points.Select(p => (string)p!["commit"]!));
        Assert.Equal(["20260102-030000", "20260102-031000", "20260102-032000"], points.Select(p => (string)p!["timestamp"]!));
        Assert.Equal([0.125, 0.15, 0.45], points.Select(p => (double)p!["accuracy"]!));
        Assert.Equal([0.074, 0.10, 0.38], points.Select(p => (double)p!["ci_low"]!));
        Assert.Equal([0.191, 0.21, 0.52], points.Select(p => (double)p!["ci_high"]!));
        Assert.Equal([200, 200, 200], points.Select(p => (int)p!["n"]!));
        Assert.Equal(["c-first/results_all_tasks_20260102-030000.json", "b-second/results_all_tasks_20260102-031000.json",
            "a-third/results_all_tasks_20260102-032000.json"], points.Select(p => (string)p!["file"]!));

        // Absent from the second run: no point there. Its files had no interval, so it is the pipeline's Wilson interval.
        var chain = rows[1]!["points"]!.AsArray();
        Assert.Equal([0, 2], chain.Select(p => (int)p!["run"]!));
        var expected = ProportionInterval.Of(0.40, Math.Sqrt(0.40 * 0.60 / 200), 200, 200);
        Assert.Equal(expected.Low, (double)chain[0]!["ci_low"]!, 12);
        Assert.Equal(expected.High, (double)chain[0]!["ci_high"]!, 12);
    }

    [Fact]
    public async Task The_markdown_has_a_line_per_row_a_column_per_run_and_a_marked_delta()
    {
        WriteThreeRuns();
        Assert.Equal(0, (await CliRun.Of("history", Runs)).ExitCode);
        var lines = File.ReadAllLines(Path.Combine(Out, "history.md"));
        Assert.Contains("| Task | Model | Strategy | aaaaaaa | bbbbbbb | bbbbbbb (2) | Δ |", lines);
        // 15.0 % [10.0, 21.0] → 45.0 % [38.0, 52.0]: the intervals are apart, so the Δ is marked.
        Assert.Contains("| leg_counting | tiny-sft | vanilla | 12.5 % [7.4, 19.1] | 15.0 % [10.0, 21.0] | 45.0 % [38.0, 52.0] | +30.0 ⚠ |", lines);
        var chain = Assert.Single(lines, l => l.StartsWith("| chain_sum |", StringComparison.Ordinal));
        Assert.Contains("| — |", chain, StringComparison.Ordinal);
        Assert.EndsWith("| +2.0 |", chain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_console_names_the_rows_whose_latest_accuracy_left_the_previous_interval()
    {
        WriteThreeRuns();
        var run = await CliRun.Of("history", Runs);
        Assert.Contains("3 runs (aaaaaaa, bbbbbbb, bbbbbbb (2)), 2 rows", run.Out, StringComparison.Ordinal);
        Assert.Contains("1 rows' latest accuracy left the previous run's interval:", run.Out, StringComparison.Ordinal);
        Assert.Contains("leg_counting × tiny-sft (vanilla): 15.0 % [10.0, 21.0] (bbbbbbb) → 45.0 % (bbbbbbb (2))", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("chain_sum × tiny-sft (vanilla):", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_svg_is_xml_naming_every_run_and_the_png_is_a_png()
    {
        WriteThreeRuns();
        var output = Path.Combine(_fx.Dir, "elsewhere");
        var run = await CliRun.Of("history", Runs, "--output", output);
        Assert.Equal(0, run.ExitCode);
        Assert.False(Directory.Exists(Out));

        var svg = File.ReadAllText(Path.Combine(output, "history.svg"));
        var root = XDocument.Parse(svg).Root!;
        Assert.Equal("svg", root.Name.LocalName);
        var text = string.Join("\n", root.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));
        foreach (var label in new[] { "aaaaaaa", "bbbbbbb", "bbbbbbb (2)", "95 % Wilson interval", "leg_counting × tiny-sft (vanilla)" })
            Assert.Contains(label, text, StringComparison.Ordinal);

        var png = File.ReadAllBytes(Path.Combine(output, "history.png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Empty(Directory.GetFiles(output, "*.tmp"));
    }

    [Fact]
    public async Task A_run_without_a_commit_is_labelled_by_its_timestamp()
    {
        WriteRun("one", "20260102-030000", 0, null, Row("leg_counting", "tiny-sft", 0.5));
        Assert.Equal(0, (await CliRun.Of("history", Runs)).ExitCode);
        Assert.Equal("20260102-030000", (string)HistoryJson()["runs"]![0]!["label"]!);
    }

    [Fact]
    public async Task A_folder_without_results_exits_2_naming_it()
    {
        Directory.CreateDirectory(Runs);
        File.WriteAllText(Path.Combine(Runs, "results_leg_counting_20260102-030000.json"), "{}");
        var run = await CliRun.Of("history", Runs);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"error: {Runs}: no results_all_tasks_<ts>.json", run.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public async Task A_broken_results_file_exits_2_naming_it()
    {
        WriteThreeRuns();
        var broken = Path.Combine(Runs, "d-broken", "results_all_tasks_20260102-040000.json");
        Directory.CreateDirectory(Path.GetDirectoryName(broken)!);
        File.WriteAllText(broken, "{ \"schema_version\": 1, \"tasks\": [");
        var run = await CliRun.Of("history", Runs);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(broken, run.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }
}
