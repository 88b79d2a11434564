using System.Text.Json.Nodes;
using HierReason.Cli;
using HierReason.Core.Results;
using HierReason.Harness.ProcessRewards;
using HierReason.Harness.Reporting;

namespace HierReason.Harness.Tests.Running;

/// <summary>
/// The reduced version of BenchmarkHierarchical's process section that CI runs: the same commands in the same order on a
/// random tiny model with a handful of items — a PRM and an outcome RM trained from two stepwise files, PRM-ranked pairs
/// sampled by the policy, DPO on them (an empty pairs file beside adds nothing), a benchmark with the section's row roles,
/// and <c>process-summary</c> reading the rows, the paired comparisons and the loop's files.
/// </summary>
public sealed class ProcessLoopTests(WorkerFixture fixture) : IClassFixture<WorkerFixture>
{
    private static async Task<(int Code, string Out, string Err)> Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await HierReasonCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static async Task Ok(params string[] args)
    {
        var (code, stdout, stderr) = await Cli(args);
        Assert.True(code == 0, $"hierreason {string.Join(' ', args)} exited {code}\n{stdout}\n{stderr}");
    }

    private static string Steps(string path, int offset)
    {
        File.WriteAllLines(path, Enumerable.Range(offset, 6).Select(i => new JsonObject
        {
            ["prompt"] = $"Q{i}:\n",
            ["completions"] = new JsonArray("3+4=7", i % 2 == 0 ? "7+1=9 wrong" : "7+1=8"),
            ["labels"] = new JsonArray(true, i % 2 != 0),
            ["final_correct"] = i % 3 == 0,
        }.ToJsonString()));
        return path;
    }

    [Fact]
    public async Task The_reduced_loop_trains_reward_models_pairs_dpo_and_summarises_the_benchmark()
    {
        var work = fixture.Dir.Combine("process");
        var model = fixture.Dir.Combine("tiny");
        Directory.CreateDirectory(Path.Combine(work, "labels"));
        var a = Steps(Path.Combine(work, "labels", "a.jsonl"), 0);
        var b = Steps(Path.Combine(work, "labels", "b.jsonl"), 6);
        var prm = Path.Combine(work, "reward-models", "prm");
        var orm = Path.Combine(work, "reward-models", "orm");
        string[] train = ["prm", "train", "--data", a, "--data", b, "--model", model, "--lr", "1e-3", "--batch-size", "4", "--epochs", "1", "--held-out", "0.2", "--seed", "1"];
        await Ok([.. train, "--output", prm]);
        await Ok([.. train, "--output", orm, "--outcome-labels"]);
        var prmSummary = JsonNode.Parse(File.ReadAllText(Path.Combine(prm, "training_summary.json")))!;
        Assert.Equal(2, prmSummary["data"]!.AsArray().Count);
        Assert.Equal("step", (string?)prmSummary["labels"]);
        Assert.Equal("outcome", (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(orm, "training_summary.json")))!["labels"]);

        // Pairs: PRM-ranked samples of the random policy (ranking needs no right answer), and step pairs refused for a task without a checker.
        var pairs = Path.Combine(work, "pairs", "prm-chain_sum.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(pairs)!);
        string[] sample = ["dpo", "pairs", "--model", model, "--n-items", "3", "--solutions", "4", "--max-new-tokens", "12", "--threads", "1"];
        await Ok([.. sample, "--kind", "prm", "--task", "chain_sum", "--prm", prm, "--prm-margin", "0", "--output", pairs]);
        var pairLines = File.ReadAllLines(pairs);
        Assert.InRange(pairLines.Length, 1, 3 * 4);
        var stats = JsonNode.Parse(File.ReadAllText(pairs + ".stats.json"))!;
        Assert.Equal(pairLines.Length, (int)stats["pairs"]!);
        Assert.Equal(12, (int)stats["solutions"]!);
        var refused = await Cli([.. sample, "--kind", "step", "--task", "basic_arithmetic", "--output", Path.Combine(work, "pairs", "x.jsonl")]);
        Assert.Equal(2, refused.Code);
        Assert.Contains("task 'basic_arithmetic' has no oracle step checker", refused.Err);
        var empty = Path.Combine(work, "pairs", "prm-empty.jsonl");
        File.WriteAllText(empty, "");
        await Ok("dpo", "train", "--data", pairs, "--data", empty, "--model", model, "--output", Path.Combine(work, "models", "pdpo"), "--lr", "1e-4", "--batch-size", "4", "--threads", "1");

        // The benchmark rows by role, then the summary.
        var models = fixture.Dir.Write("process-models.json", """
            { "models": [
                { "name": "tiny-sft", "backend": "local", "path": "tiny", "bench": false },
                { "name": "sft", "strategy": "vanilla", "model": "tiny-sft" },
                { "name": "sft-maj8", "strategy": "majority_vote", "model": "tiny-sft", "options": { "n": 2, "temperature": 1.0 } },
                { "name": "sft-bo8-prm", "strategy": "best_of_n", "model": "tiny-sft", "options": { "n": 2, "temperature": 1.0, "prm": "process/reward-models/prm" } },
                { "name": "pdpo", "backend": "local", "path": "process/models/pdpo" }
              ],
              "defaults": { "generation": { "temperature": 0, "max_new_tokens": 12 } } }
            """);
        var tasks = fixture.Dir.Write("process-tasks.json", """{ "tasks": [ { "task": "chain_sum", "level": 0 } ], "defaults": { "n": 4 } }""");
        var results = Path.Combine(work, "results");
        await Ok("bench", "--models-file", models, "--tasks-file", tasks, "--task-configs", RepoPaths.TaskConfigs, "--runs", Path.Combine(work, "runs"), "--output", results, "--threads", "1");
        var run = Directory.GetDirectories(Path.Combine(work, "runs"), "run-*").Single();
        var (code, stdout, stderr) = await Cli("process-summary", results, "--work", work, "--run", run);
        Assert.True(code == 0, stdout + stderr);

        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(results, ProcessReport.JsonName)))!;
        var task = report["tasks"]!.AsArray().Single()!;
        Assert.Equal(["sft", "sft-maj8", "sft-bo8-prm", "pdpo"], task["rows"]!.AsArray().Select(r => (string)r!["model"]!));
        var summary = ResultsFile.LoadSummary(ResultsFile.ResolveSummaryPath(results));
        foreach (var row in task["rows"]!.AsArray())
            Assert.Equal(summary.Rows.Single(r => r.Model == (string)row!["model"]!).Accuracy, (double)row!["accuracy"]!);
        // Every comparison whose two rows ran, on the 4 shared items.
        Assert.Equal([("sft-bo8-prm", "sft-maj8"), ("sft-maj8", "sft"), ("pdpo", "sft")],
            task["comparisons"]!.AsArray().Select(c => ((string)c!["a"]!, (string)c["b"]!)));
        Assert.All(task["comparisons"]!.AsArray(), c => Assert.Equal(4, (int)c!["items"]!));
        var loop = report["loop"]!;
        Assert.Equal(["orm", "prm"], loop["reward_models"]!.AsObject().Select(kv => kv.Key.Split('/')[0]).Order());
        Assert.Equal("outcome", (string?)loop["reward_models"]!["orm/training_summary.json"]!["labels"]);
        Assert.NotNull(loop["pairs"]!["prm-chain_sum.jsonl.stats.json"]);
        Assert.NotNull(loop["dpo"]!["pdpo/training_summary.json"]);
        Assert.Contains("| sft-bo8-prm − sft-maj8 | 4 |", File.ReadAllText(Path.Combine(results, ProcessReport.MarkdownName)));
    }
}
