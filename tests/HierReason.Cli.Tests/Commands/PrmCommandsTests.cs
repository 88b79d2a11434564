using System.Text.Json.Nodes;
using Xunit;

namespace HierReason.Cli.Tests.Commands;

public sealed class PrmCommandsTests(TinyModelFolder tiny) : IClassFixture<TinyModelFolder>
{
    [Fact]
    public async Task Prm_label_on_a_tiny_model_writes_trl_stepwise_records_and_their_quality()
    {
        var dir = tiny.NewFolder("prm");
        var output = Path.Combine(dir, "labels.jsonl");
        var run = await CliRun.Of("prm", "label", "--model", tiny.Model, "--task", "chain_sum", "--n-items", "3", "--solutions", "2",
            "--k", "2", "--all-steps", "--max-new-tokens", "24", "--threads", "1", "--output", output);

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

        var again = await CliRun.Of("prm", "label-quality", output, "--output", Path.Combine(dir, "q.json"));
        Assert.Equal(0, again.ExitCode);
        Assert.True(File.Exists(Path.Combine(dir, "q.json")));
    }

    [Fact]
    public async Task Bad_label_kind_is_a_user_error_before_the_model_loads()
    {
        var run = await CliRun.Of("prm", "label", "--model", "/nonexistent", "--task", "chain_sum", "--labels", "fuzzy", "--output", "x.jsonl");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--labels: expected hard, soft or count; found 'fuzzy'", run.Err);
    }

    private static string Data(string folder)
    {
        var path = Path.Combine(folder, "steps.jsonl");
        File.WriteAllLines(path, Enumerable.Range(0, 6).Select(i =>
            new JsonObject
            {
                ["prompt"] = $"Q{i}:\n",
                ["completions"] = new JsonArray("3+4=7", i % 2 == 0 ? "7+1=9 wrong" : "7+1=8"),
                ["labels"] = new JsonArray(true, i % 2 != 0),
                ["item_id"] = i,
            }.ToJsonString()));
        return path;
    }

    [Fact]
    public async Task Train_writes_a_prm_folder_that_score_reads_back_per_step()
    {
        Assert.Equal(0, tiny.Init.ExitCode);
        var folder = tiny.NewFolder("prm");
        var data = Data(folder);
        var prm = Path.Combine(folder, "prm");

        var train = await CliRun.Of("prm", "train", "--data", data, "--model", tiny.Model, "--output", prm, "--lr", "1e-4", "--batch-size", "2", "--held-out", "0.34", "--seed", "2");
        Assert.True(train.ExitCode == 0, train.Err);
        Assert.Contains("held out:", train.Out);
        Assert.Contains("prm train: step 2/2", train.Err);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(prm, "training_summary.json")))!;
        Assert.Equal(2, summary["losses"]!.AsArray().Count);
        Assert.Equal(2, summary["held_out_trajectories"]!.GetValue<int>());
        Assert.Empty(Directory.EnumerateDirectories(folder, "prm.tmp-*"));

        var scored = Path.Combine(folder, "scored.jsonl");
        var score = await CliRun.Of("prm", "score", "--prm", prm, "--data", data, "--reduction", "min", "--output", scored);
        Assert.True(score.ExitCode == 0, score.Err);
        Assert.Contains("labelled steps: 12 steps of 6 trajectories", score.Out);
        var lines = File.ReadAllLines(scored).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(6, lines.Count);
        foreach (var line in lines)
        {
            var steps = line["step_scores"]!.AsArray().Select(s => s!.GetValue<double>()).ToList();
            Assert.Equal(2, steps.Count);
            Assert.Equal(steps.Min(), line["score"]!.GetValue<double>(), 12);
            Assert.Equal("min", line["reduction"]!.GetValue<string>());
            Assert.NotNull(line["item_id"]);
        }
    }

    [Fact]
    public async Task Scoring_with_a_causal_lm_or_refusing_to_overwrite_are_user_errors()
    {
        var folder = tiny.NewFolder("prm-errors");
        var data = Data(folder);
        var score = await CliRun.Of("prm", "score", "--prm", tiny.Model, "--data", data);
        Assert.Equal(2, score.ExitCode);
        Assert.Contains("ForTokenClassification", score.Err);

        var train = await CliRun.Of("prm", "train", "--data", data, "--model", tiny.Model, "--output", folder);
        Assert.Equal(2, train.ExitCode);
        Assert.Contains("--overwrite", train.Err);
    }
}
