using System.Text.Json.Nodes;
using HierReason.Cli;
using HierReason.Core.Episodes;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Core.Tasks;
using HierReason.Engine.Prm;
using HierReason.Engine.Tokenizers;
using HierReason.Harness.Reporting;
using HierReason.Reasoning.Strategies.Selection;

namespace HierReason.Harness.Tests.Running;

/// <summary>
/// The selection strategies end to end on a real tiny model and a real PRM (trained here by <c>hierreason prm train</c>):
/// majority_vote and best_of_n rows keep one candidate per item, record pass@n (the bound any selector can reach), the
/// agreement with the kept answer and the answered share; best_of_n keeps the answered candidate the PRM scores highest.
/// </summary>
public sealed class SelectionBenchTests(WorkerFixture fixture) : IClassFixture<WorkerFixture>
{
    private async Task<string> TrainPrm(string name)
    {
        var folder = fixture.Dir.Combine(name);
        Directory.CreateDirectory(folder);
        var data = Path.Combine(folder, "steps.jsonl");
        File.WriteAllLines(data, Enumerable.Range(0, 6).Select(i => new JsonObject
        {
            ["prompt"] = $"Q{i}:\n",
            ["completions"] = new JsonArray("3+4=7", i % 2 == 0 ? "7+1=9 wrong" : "7+1=8"),
            ["labels"] = new JsonArray(true, i % 2 != 0),
        }.ToJsonString()));
        var prm = Path.Combine(folder, "prm");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.True(await HierReasonCli.RunAsync(["prm", "train", "--data", data, "--model", fixture.Dir.Combine("tiny"), "--output", prm, "--lr", "1e-3",
            "--batch-size", "2", "--held-out", "0", "--seed", "2"], stdout, stderr) == 0, stdout + "\n" + stderr);
        return prm;
    }

    [Fact]
    public async Task Majority_vote_and_best_of_n_keep_one_candidate_per_item_with_pass_at_n_agreement_and_answered()
    {
        await TrainPrm("selection-prm");
        var dir = fixture.Dir.Combine("selection");
        // The PRM's path is relative to models.json's folder.
        var models = fixture.Dir.Write("selection-models.json", """
            { "models": [
                { "name": "tiny", "backend": "local", "path": "tiny", "generation": { "max_new_tokens": 16 } },
                { "name": "tiny-maj4", "strategy": "majority_vote", "model": "tiny", "options": { "n": 4, "temperature": 1.0 } },
                { "name": "tiny-bo4", "strategy": "best_of_n", "model": "tiny", "options": { "n": 4, "temperature": 1.0, "prm": "selection-prm/prm", "reduction": "min" } }
            ] }
            """);
        var tasks = fixture.Dir.Write("selection-tasks.json", """{ "tasks": [ { "task": "leg_counting", "level": 0 } ], "defaults": { "n": 3 } }""");
        var results = Path.Combine(dir, "results");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.True(await HierReasonCli.RunAsync(["bench", "--models-file", models, "--tasks-file", tasks, "--task-configs", RepoPaths.TaskConfigs,
            "--runs", Path.Combine(dir, "runs"), "--output", results, "--threads", "1"], stdout, stderr) == 0, stdout + "\n" + stderr);

        var summary = ResultsFile.LoadSummary(ResultsFile.ResolveSummaryPath(results));
        var run = RunLayout.At(Directory.GetDirectories(Path.Combine(dir, "runs"), "run-*").Single());
        foreach (var (model, strategy) in new[] { ("tiny-maj4", "majority_vote"), ("tiny-bo4", "best_of_n") })
        {
            var row = summary.Rows.Single(r => r.Model == model);
            Assert.Equal((strategy, 3), (row.Strategy, row.N));
            var lines = File.ReadAllLines(run.SamplesPath(row.JobKeys!.Single()))
                .Select(l => System.Text.Json.JsonSerializer.Deserialize<SampleRecord>(l, HierJson.Options)!).ToList();
            Assert.Equal(3, lines.Count); // one kept candidate per item, not n
            foreach (var line in lines)
            {
                Assert.InRange(line.Stats!["pass_at_n"], line.Score, 1);
                Assert.InRange(line.Stats["answered"], 0, 1);
                // The kept answer's share of the candidates: at least one of four when there is an answer.
                Assert.InRange(line.Stats["agreement"], line.Extracted is null ? 0 : 0.25, 1);
            }
            Assert.InRange(row.Stats!.Means["pass_at_n"], row.Accuracy, 1);
        }
    }

    [Fact]
    public async Task Best_of_n_keeps_the_answered_candidate_the_prm_scores_highest()
    {
        var prm = await TrainPrm("argmax-prm");
        var selector = PrmSelector.Load(prm, TrajectoryReduction.Product);
        var scorer = new PrmScorer(PrmCheckpoint.Load(prm), TokenizerLoader.Load(prm));
        var task = TaskRegistry.Default.Get("chain_sum");
        var item = task.Generate(task.DefaultConfig, Split.Test, 0, 0);
        string[] texts = ["3+4=7\n7+1=9 wrong\n<answer>9</answer>", "3+4=7\n7+1=8\n<answer>8</answer>", "3+4=7\n7+1=8", "7+1=9 wrong\n<answer>1</answer>"];
        var candidates = texts.Select(t => new Episode(new Segment(Actor.Prompt, "p"), item).Append(new Segment(Actor.Policy, t)).Finish(EpisodeEnd.Stop)).ToList();

        var kept = selector.Select(item, candidates, AnswerSource.Policy);

        // Its own scoring of each answered candidate's steps (the answer line dropped), the unanswered third excluded.
        var prompt = Core.Prompts.TaskPrompt.For(item.Question);
        var scores = texts.Select(t => scorer.Score(prompt, t.Split('\n').Where(l => !l.Contains("<answer>", StringComparison.Ordinal)).ToArray()).Score).ToArray();
        var expected = new[] { 0, 1, 3 }.OrderByDescending(i => scores[i]).ThenBy(i => i).First();
        Assert.Equal(expected, kept);
    }
}
