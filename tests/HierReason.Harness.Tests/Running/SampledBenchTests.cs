using System.Text.Json.Nodes;
using HierReason.Cli;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Harness.Publishing;
using HierReason.Harness.Reporting;

namespace HierReason.Harness.Tests.Running;

/// <summary>
/// models.json's <c>generation.n</c> end to end on a real tiny model: a sampled row beside a greedy one, through real
/// workers, into the sample log, the job results, the results JSON, summary.md, the charts' markers, resume, verify and
/// what publish reads.
/// </summary>
public sealed class SampledBenchTests(WorkerFixture fixture) : IClassFixture<WorkerFixture>
{
    [Fact]
    public async Task A_model_sampled_three_times_per_item_reports_pass_and_maj_at_3_and_every_row_its_answer_diagnostics()
    {
        var dir = fixture.Dir.Combine("sampled");
        var models = fixture.Dir.Write("sampled-models.json", """
            { "models": [
                { "name": "tiny", "backend": "local", "path": "tiny", "generation": { "max_new_tokens": 16 } },
                { "name": "tiny-t1", "backend": "local", "path": "tiny", "generation": { "max_new_tokens": 16, "temperature": 1, "n": 3, "seed": 5 } }
            ] }
            """);
        var tasks = fixture.Dir.Write("sampled-tasks.json", """{ "tasks": [ { "task": "leg_counting", "level": 0 } ], "defaults": { "n": 4 } }""");
        var results = Path.Combine(dir, "results");
        string[] args = ["bench", "--models-file", models, "--tasks-file", tasks, "--task-configs", RepoPaths.TaskConfigs,
            "--runs", Path.Combine(dir, "runs"), "--output", results, "--threads", "1"];
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.True(await HierReasonCli.RunAsync(args, stdout, stderr) == 0, stdout + "\n" + stderr);

        // The sampled job's log: 4 items × 3 samples, item-major, indexed; its result says so and carries the figures.
        var run = RunLayout.At(Directory.GetDirectories(Path.Combine(dir, "runs"), "run-*").Single());
        var jobs = JobManifest.Read(run.ManifestFile);
        var sampledJob = jobs.Single(j => j.Model.Name == "tiny-t1");
        Assert.Equal(3, sampledJob.Model.Generation.Samples);
        var lines = File.ReadAllLines(run.SamplesPath(sampledJob.Key)).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(12, lines.Count);
        Assert.Equal([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], lines.Select(l => (int)l["sample"]!));
        Assert.Equal(4, lines.Select(l => (string)l["item_id"]!).Distinct().Count());
        var job = JobResultFile.TryRead(run.ResultPath(sampledJob.Key))!;
        Assert.Equal((4, 3), (job.N, job.SamplesPerItem));
        var scores = lines.Select(l => (double)l["score"]!).ToList();
        // The job's figures are those of its own sample lines: accuracy of sample 0, pass/maj/mean over the groups.
        Assert.Equal(scores.Where((_, i) => i % 3 == 0).Average(), job.Accuracy, 12);
        Assert.Equal(scores.Average(), job.SampleAccuracy!.Value, 12);
        Assert.Equal(Enumerable.Range(0, 4).Average(i => scores.Skip(3 * i).Take(3).Max()), job.PassAtK!.Value, 12);
        Assert.InRange(job.MajAtK!.Value, 0, job.PassAtK.Value);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"over 4 (pass@3 {job.PassAtK:0.###}, maj@3 {job.MajAtK:0.###}) in"),
            File.ReadAllText(run.LogPath(sampledJob.Key)));
        var greedyJob = JobResultFile.TryRead(run.ResultPath(jobs.Single(j => j.Model.Name == "tiny").Key))!;
        Assert.Null(greedyJob.SamplesPerItem);
        Assert.Equal(4, File.ReadAllLines(run.SamplesPath(greedyJob.Key)).Length);

        // Rows: both carry the diagnostics; the constant answer is the same for both (the same items); only tiny-t1 pass@k.
        var summary = ResultsFile.LoadSummary(ResultsFile.ResolveSummaryPath(results));
        var greedy = summary.Rows.Single(r => r.Model == "tiny");
        var sampled = summary.Rows.Single(r => r.Model == "tiny-t1");
        Assert.Equal((3, job.PassAtK, job.MajAtK), (sampled.SamplesPerItem, sampled.PassAtK, sampled.MajAtK));
        // The unbiased curve (k = 1, 2, 3) comes through the job file into the row; with whole scores its pass@3 is pass@k.
        Assert.Equal([1, 2, 3], job.PassAt!.Keys);
        Assert.Equal(job.PassAt, sampled.PassAt);
        Assert.Equal(job.PassAtK.Value, sampled.PassAt![3], 12);
        Assert.Null(greedy.PassAtK);
        Assert.Null(greedy.PassAt);
        Assert.Equal(greedy.ConstantAnswerAccuracy, sampled.ConstantAnswerAccuracy);
        Assert.Equal(greedy.GoldDistinctAnswers, sampled.GoldDistinctAnswers);
        Assert.InRange(greedy.DistinctAnswers!.Value, 1, 4);
        Assert.InRange(greedy.GoldDistinctAnswers!.Value, 1, 4);
        var perTask = ResultsFile.Load(Directory.GetFiles(results, "results_leg_counting_*.json").Single());
        Assert.Equal(summary.Rows, ((ResultsFile.SingleTask)perTask).Results.Rows);

        // summary.md: the main table as before, the answers table, and the sampled one for tiny-t1 only.
        var markdown = File.ReadAllText(Path.Combine(results, "summary.md"));
        Assert.Contains("## Answers", markdown);
        Assert.Contains($"| leg_counting (level 0) | {sampled.ConstantAnswerAccuracy * 100:0.0} | {greedy.DistinctAnswers} / {greedy.GoldDistinctAnswers} · ", markdown);
        Assert.Contains("| Task | tiny-t1 (k = 3) |", markdown);

        // Charts: both task bars marked at the constant answer.
        Assert.Equal([sampled.ConstantAnswerAccuracy * 100, sampled.ConstantAnswerAccuracy * 100],
            ChartBuilder.Summary(summary).Bars.Take(2).Select(b => b.Marker));

        // Rerun: both jobs (the sampled one with its 12 lines) count as finished.
        var again = new StringWriter();
        Assert.Equal(0, await HierReasonCli.RunAsync(args, again, new StringWriter()));
        Assert.Equal(2, again.ToString().Split('\n').Count(l => l.Contains("skipped", StringComparison.Ordinal)));

        // verify and what publish reads take the new fields in their stride.
        var approved = Path.Combine(dir, "approved.json");
        Assert.Equal(0, await HierReasonCli.RunAsync(["verify", results, "--approved", approved, "--accept"], new StringWriter(), new StringWriter()));
        Assert.DoesNotContain("pass_at_k", File.ReadAllText(approved));
        Assert.Equal(0, await HierReasonCli.RunAsync(["verify", results, "--approved", approved], new StringWriter(), new StringWriter()));
        var report = BenchmarkReport.Load(results);
        Assert.Equal(sampled, report.Results!.Rows.Single(r => r.Model == "tiny-t1"));
        Assert.NotNull(report.Verification);
        Assert.Contains("## Sampled", report.SummaryMarkdown);
    }
}
