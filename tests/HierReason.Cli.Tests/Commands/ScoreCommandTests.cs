using System.Text.Json.Nodes;
using HierReason.Core.Json;
using HierReason.Core.Tasks;

namespace HierReason.Cli.Tests.Commands;

public sealed class ScoreCommandTests : IDisposable
{
    private static readonly IReasoningTask Legs = TaskRegistry.Default.Get("leg_counting");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hierreason-score-tests-" + Guid.NewGuid().ToString("N"));
    private readonly TaskItem _item = Legs.Generate(Legs.DefaultConfig, Split.Test, 0, 0);

    public ScoreCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* a leftover temp directory is harmless */ }
    }

    private string Line(string field, string text)
        => new JsonObject { ["item"] = TaskItemJson.ToNode(_item), [field] = text }.ToJsonString();

    private string Input(params string[] lines)
    {
        var path = Path.Combine(_dir, "input.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static (double Score, string? Extracted, bool FormatOk) Result(string line)
    {
        var o = JsonNode.Parse(line)!.AsObject();
        Assert.Equal(["score", "extracted", "format_ok"], o.Select(p => p.Key));
        return ((double)o["score"]!, (string?)o["extracted"], (bool)o["format_ok"]!);
    }

    [Fact]
    public async Task Answers_and_completions_get_their_scores_extractions_and_format_flags()
    {
        var gold = _item.Answer;
        var grouped = long.Parse(gold).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        var path = Input(
            Line("answer", gold),
            Line("answer", gold + "1"),
            Line("answer", "  "),
            Line("completion", $"<think>maybe 3</think>I count them. <answer>{grouped}</answer>"),
            Line("completion", $"<answer>1</answer> no, <answer>{gold}</answer>"),
            Line("completion", "I give up."));
        var run = await CliRun.Of("tasks", "score", "--input", path, "--json");
        Assert.Equal(0, run.ExitCode);
        var results = run.Lines.Select(Result).ToArray();
        Assert.Equal(6, results.Length);
        Assert.Equal((1.0, gold, true), results[0]);
        Assert.Equal((0.0, gold + "1", true), results[1]);
        Assert.Equal((0.0, "  ", false), results[2]);
        Assert.Equal((1.0, grouped, true), results[3]);
        Assert.Equal((1.0, gold, false), results[4]);
        Assert.Equal((0.0, null, false), results[5]);
    }

    [Fact]
    public async Task Without_json_a_table_and_the_mean_score_are_printed()
    {
        var path = Input(Line("answer", _item.Answer), "", Line("answer", "0"));
        var run = await CliRun.Of("tasks", "score", "--input", path);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("leg_counting/test/0/0", run.Out);
        Assert.Contains("mean score: 0.5 over 2 items", run.Out);
    }

    [Theory]
    [InlineData("{\"item\": 1, \"answer\": \"3\"}", "line 2: $.item: expected an item object")]
    [InlineData("not json", "line 2: $: expected a JSON object")]
    [InlineData("{\"answer\": \"3\"}", "line 2: $.item: expected the item")]
    public async Task A_malformed_line_exits_2_naming_the_file_and_line(string bad, string message)
    {
        var path = Input(Line("answer", "1"), bad);
        var run = await CliRun.Of("tasks", "score", "--input", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(path + ", " + message, run.Err);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task A_line_with_both_answer_and_completion_is_rejected()
    {
        var both = new JsonObject { ["item"] = TaskItemJson.ToNode(_item), ["answer"] = "1", ["completion"] = "x" }.ToJsonString();
        var run = await CliRun.Of("tasks", "score", "--input", Input(both));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("line 1: $: expected exactly one of \"answer\" and \"completion\"", run.Err);
    }

    [Fact]
    public async Task A_missing_input_file_exits_2()
    {
        var run = await CliRun.Of("tasks", "score", "--input", Path.Combine(_dir, "nope.jsonl"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nope.jsonl: no such input file", run.Err);
    }
}
