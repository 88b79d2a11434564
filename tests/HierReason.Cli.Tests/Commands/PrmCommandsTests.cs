using System.Text.Json.Nodes;

namespace HierReason.Cli.Tests.Commands;

public sealed class PrmCommandsTests(TinyModelFolder tiny) : IClassFixture<TinyModelFolder>
{
    [Fact]
    public async Task Prm_label_on_a_tiny_model_writes_trl_stepwise_records_and_their_quality()
    {
        var dir = tiny.NewFolder("prm");
        var output = Path.Combine(dir, "labels.jsonl");
        var run = await CliRun.Of("prm", "label", "--model", tiny.Model, "--task", "chain_sum", "--n-items", "3", "--solutions", "2",
            "--k", "2", "--all-steps", "--max-new-tokens", "24", "--threads", "1", "--out", output);

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Contains("prm label: 3/3 items (0 resumed)", run.Err);
        var lines = File.ReadAllLines(output);
        Assert.InRange(lines.Length, 0, 6);
        foreach (var line in lines)
        {
            var json = JsonNode.Parse(line)!;
            var steps = json["completions"]!.AsArray();
            Assert.NotEmpty(steps);
            Assert.StartsWith("Think step by step.", (string)json["prompt"]!);
            Assert.Equal(steps.Count, json["labels"]!.AsArray().Count);
            Assert.All(json["labels"]!.AsArray(), l => Assert.Contains((bool)l!, new[] { true, false }));
            Assert.Equal(steps.Count, json["oracle"]!.AsArray().Count);
            Assert.All(json["outcomes"]!.AsArray(), o => Assert.Equal(2, ((string)o!).Length));
        }
        var quality = JsonNode.Parse(File.ReadAllText(output + ".quality.json"))!;
        Assert.Equal(lines.Length, (int)quality["records"]!);

        var again = await CliRun.Of("prm", "label-quality", output, "--out", Path.Combine(dir, "q.json"));
        Assert.Equal(0, again.ExitCode);
        Assert.True(File.Exists(Path.Combine(dir, "q.json")));
    }

    [Fact]
    public async Task Bad_label_kind_is_a_user_error_before_the_model_loads()
    {
        var run = await CliRun.Of("prm", "label", "--model", "/nonexistent", "--task", "chain_sum", "--labels", "fuzzy", "--out", "x.jsonl");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--labels: expected hard, soft or count; found 'fuzzy'", run.Err);
    }
}
