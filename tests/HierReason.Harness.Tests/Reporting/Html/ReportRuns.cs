using System.Text.Json.Nodes;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Harness.Pipeline;
using HierReason.Reasoning.Evaluation;

namespace HierReason.Harness.Tests.Reporting.Html;

/// <summary>
/// Run folders written the way a benchmark writes them — job files, sample logs, job results (<see cref="JobEvaluator.Summarize"/>),
/// run.json and the manifest, then <see cref="BenchmarkPipeline.Collect"/> for the results folder — with samples whose
/// outcomes are chosen: the report's numbers, filters and episodes can then be checked against known counts.
/// </summary>
internal static class ReportRuns
{
    /// <summary>One hand-made sample: the answer given (null: no answer), whether it is well formed, and how the turn ended.</summary>
    public sealed record Made(string Question, string Gold, string? Answer, bool FormatOk = true, string Finish = "stop");

    public const string Script = "What is 7 + 1? </script><script>window.injected = true</script>";

    /// <summary>chain_sum (8 items): 3 correct, 2 wrong answers, 2 format failures (1 truncated), 1 correct whose question tries to close the script element.</summary>
    public static readonly Made[] ChainSum =
    [
        new("What is 12 + 30?", "42", "42"),
        new("What is 5 + 6?", "11", "11"),
        new("What is 20 + 22?", "42", "41"),
        new("What is 9 + 9?", "18", "81"),
        new("What is 1 + 2?", "3", null, FormatOk: false),
        new("What is 40 + 40?", "80", null, FormatOk: false, Finish: "length"),
        new("What is 3 + 4?", "7", "7"),
        new(Script, "8", "8"),
    ];

    /// <summary>leg_counting at level 1 (4 items, two of them the same question): 1 correct.</summary>
    public static readonly Made[] LegCounting =
    [
        new("How many legs do 2 cats have?", "8", "8"),
        new("How many legs do 2 cats have?", "8", "6"),
        new("How many legs does 1 spider have?", "8", "6"),
        new("How many legs do 3 ducks have?", "6", "4"),
    ];

    /// <summary>
    /// Writes a run of models "alpha" (vanilla) and "alpha-calc" (calculator: its samples carry episodes) on both tasks into
    /// <paramref name="root"/>/runs/&lt;run id&gt; and its results into <paramref name="root"/>/results; returns the results folder.
    /// <paramref name="flip"/> turns item i's outcome of chain_sum around for alpha (a baseline that differs on chosen items).
    /// </summary>
    public static string Write(string root, string runId, Func<int, bool>? flip = null, string? commit = null)
    {
        var run = RunLayout.At(Path.Combine(root, "runs", runId));
        var jobs = new List<(EvalJob Job, List<SampleRecord> Samples)>();
        foreach (var (task, level, made) in new[] { ("chain_sum", (int?)null, ChainSum), ("leg_counting", (int?)1, LegCounting) })
        {
            foreach (var model in new[] { "alpha", "alpha-calc" })
            {
                var strategy = model == "alpha-calc" ? new StrategySpec("calculator", new JsonObject()) : null;
                var config = new JsonObject { ["max_terms"] = 2 };
                var job = run.Place(new EvalJob($"{runId}-{task}-{model}", task, config, level, "test", 0, made.Length,
                    new ModelSpec(model, "local", "/models/alpha", null, null, null, GenerationSpec.Default, null, null, null, 8, "ckpt-alpha"),
                    "cpu:0", "", "", Strategy: strategy));
                var samples = made.Select((m, i) =>
                {
                    var answer = m.Answer;
                    if (flip?.Invoke(i) == true && task == "chain_sum" && model == "alpha") answer = answer == m.Gold ? "0" : m.Gold;
                    var score = answer == m.Gold ? 1.0 : 0.0;
                    var output = (strategy is null ? "Adding the columns.\n" : "") + (m.FormatOk || answer == m.Gold ? $"<answer>{answer}</answer>" : "the sum is probably");
                    var segments = strategy is null ? null : new[]
                    {
                        new SegmentRecord("prompt", "<|im_start|>user\n" + m.Question),
                        new SegmentRecord("policy", "<calc>" + m.Question[8..^1] + "</calc>"),
                        new SegmentRecord("calculator", "<result>" + m.Gold + "</result>", new Dictionary<string, string> { ["calls"] = "1" }),
                        new SegmentRecord("policy", output),
                    };
                    var promptHash = "p" + m.Question.GetHashCode(StringComparison.Ordinal).ToString("x8");
                    return new SampleRecord($"{task}/test/0/{i}", promptHash, output, score == 1 || m.FormatOk ? answer : null, score, m.FormatOk || score == 1,
                        12 + i, 100 + 10 * i, m.Finish, segments, Question: m.Question, Gold: m.Gold, Prompt: "<|im_start|>user\n" + m.Question, Level: level,
                        ConfigHash: TaskConfigHash.Of(task, config, level));
                }).ToList();
                jobs.Add((job, samples));
            }
        }
        RunManifest.Of(run, jobs.Select(j => j.Job).ToList(), ["cpu:0"], "round-robin").Write(run, jobs.Select(j => j.Job));
        foreach (var (job, samples) in jobs)
        {
            JobFile.Write(run, job);
            SampleLog.Write(job.SamplesPath, samples);
            JobResultFile.Write(JobEvaluator.Summarize(job, samples, 1.0, 1.5), job.ResultPath);
        }
        var results = Path.Combine(root, "results");
        var collected = BenchmarkPipeline.Collect(run, results, new Dictionary<string, string> { ["hierreason"] = "test" });
        if (commit is not null)
        {
            // The commit a run came from is read from git; a test names it in the results file instead.
            var file = collected.Files[0];
            var node = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            node["run"]!["git_commit"] = commit;
            File.WriteAllText(file, node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        }
        return results;
    }
}
