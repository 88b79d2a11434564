using System.Text.Json.Nodes;
using HierReason.Core.Episodes;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Harness.Pipeline;
using HierReason.Reasoning.Evaluation;

namespace HierReason.Harness.Tests.Thinking;

/// <summary>
/// A taxonomy benchmark written the way bench writes one — job files with the strategy's checked options, sample logs whose
/// episodes carry the taxonomy environment's segments and statistics, job results (<see cref="JobEvaluator.Summarize"/>),
/// run.json and the manifest, then <see cref="BenchmarkPipeline.Collect"/> — with episodes chosen so every figure of the
/// report can be computed by hand.
/// </summary>
internal static class TaxonomyRuns
{
    public const string RunId = "tax-run";

    /// <summary>An episode: the chooser's choices in order ("finish" last unless Finish was forced on the last thought), and its score.</summary>
    public sealed record Made(string[] Choices, double Score, bool Forced = false, int ParseFailures = 0);

    /// <summary>
    /// qwen-taxonomy on chain_sum (scripted taxonomy, level 0: Compute, Check, Guess, Finish; K = 4): 3 of 5 right. Thoughts
    /// compute 6, check 1, guess 2 (9); in correct episodes compute 4, check 1; in incorrect ones compute 2, guess 2.
    /// Choices compute 6, check 1, guess 2, finish 4 (13), one of them unparsed; item 3's Finish was forced after its third thought.
    /// </summary>
    public static readonly Made[] QwenTaxonomy =
    [
        new(["compute", "compute", "finish"], 1),
        new(["compute", "check", "finish"], 1),
        new(["guess", "finish"], 0, ParseFailures: 1),
        new(["compute", "compute", "guess"], 0, Forced: true),
        new(["compute", "finish"], 1),
    ];

    /// <summary>qwen (vanilla, the same checkpoint as qwen-taxonomy's chooser): right on item 4 only.</summary>
    public static readonly double[] QwenVanilla = [0, 0, 0, 0, 1];

    /// <summary>big (vanilla, another checkpoint).</summary>
    public static readonly double[] BigVanilla = [1, 1, 1, 0, 1];

    /// <summary>tiny-chooser (taxonomy, a checkpoint no vanilla row runs): Guess then Finish every time, never right.</summary>
    public static readonly Made[] TinyTaxonomy = Enumerable.Repeat(new Made(["guess", "finish"], 0), 5).ToArray();

    private static readonly Dictionary<string, string> Labels = new() { ["compute"] = "Compute", ["check"] = "Check", ["guess"] = "Guess", ["finish"] = "Finish thinking" };

    /// <summary>Writes the run into <paramref name="root"/>/runs/tax-run and its results into <paramref name="root"/>/results; returns the results folder.</summary>
    public static string Write(string root, bool withTaxonomy = true)
    {
        var run = RunLayout.At(Path.Combine(root, "runs", RunId));
        var options = TaxonomyOptions.Check(new JsonObject { ["taxonomy"] = "scripted", ["reasoner"] = "scripted", ["max_steps"] = 3 }, null, "$");
        var taxonomy = new StrategySpec(StrategyCatalog.TaxonomyName, options);
        var jobs = new List<(EvalJob Job, List<SampleRecord> Samples)>
        {
            Job(run, "qwen", "/models/qwen", null, QwenVanilla.Select(s => Vanilla(s)).ToList()),
            Job(run, "big", "/models/big", null, BigVanilla.Select(s => Vanilla(s)).ToList()),
        };
        if (withTaxonomy)
        {
            jobs.Add(Job(run, "qwen-taxonomy", "/models/qwen", taxonomy, QwenTaxonomy.Select(Episode).ToList()));
            jobs.Add(Job(run, "tiny-chooser", "/models/tiny", taxonomy, TinyTaxonomy.Select(Episode).ToList()));
        }
        RunManifest.Of(run, jobs.Select(j => j.Job).ToList(), ["cpu:0"], "round-robin").Write(run, jobs.Select(j => j.Job));
        foreach (var (job, samples) in jobs)
        {
            JobFile.Write(run, job);
            SampleLog.Write(job.SamplesPath, samples);
            JobResultFile.Write(JobEvaluator.Summarize(job, samples, 1.0, 1.5), job.ResultPath);
        }
        var results = Path.Combine(root, "results");
        BenchmarkPipeline.Collect(run, results, new Dictionary<string, string> { ["hierreason"] = "test" });
        return results;
    }

    private static (EvalJob, List<SampleRecord>) Job(RunLayout run, string model, string path, StrategySpec? strategy, List<SampleRecord> samples)
    {
        var job = run.Place(new EvalJob($"{RunId}-chain_sum-{model}", "chain_sum", new JsonObject { ["max_terms"] = 2 }, null, "test", 0, samples.Count,
            new ModelSpec(model, "local", path, null, null, null, GenerationSpec.Default, null, null, null, 8, "ckpt" + path.Replace('/', '-')),
            "cpu:0", "", "", Strategy: strategy));
        // Item i of every job is the same question, so the rows pair on item ids.
        return (job, samples.Select((s, i) => s with { ItemId = $"chain_sum/test/0/{i}", PromptHash = $"p{i}", Question = $"What is {i} + {i}?", Gold = $"{2 * i}" }).ToList());
    }

    private static SampleRecord Vanilla(double score) =>
        new("", "", $"<answer>{score}</answer>", $"{score}", score, true, 10, 50, "stop");

    /// <summary>The sample line of a taxonomy episode as the environment writes it: a choice (policy) then its segment (environment) per step.</summary>
    private static SampleRecord Episode(Made made)
    {
        var segments = new List<SegmentRecord> { new("prompt", "Solve: ...") };
        var thoughts = 0;
        for (var i = 0; i < made.Choices.Length; i++)
        {
            var id = made.Choices[i];
            segments.Add(new SegmentRecord("policy", ((char)('A' + i)).ToString()));
            var metadata = new Dictionary<string, string> { [TaxonomyNotes.TypeKey] = id, [TaxonomyNotes.LabelKey] = Labels[id] };
            var last = i == made.Choices.Length - 1;
            if (last && made.Forced) metadata[TaxonomyNotes.ForcedFinish] = "1";
            if (id != TaxonomyNotes.FinishId) thoughts++;
            segments.Add(new SegmentRecord("environment", id == TaxonomyNotes.FinishId ? "<answer>7</answer>" : $"{Labels[id]}: 3 + 4 = 7" + (last ? " <answer>7</answer>" : ""), metadata));
        }
        var stats = new Dictionary<string, double>
        {
            [TaxonomyNotes.Thoughts] = thoughts,
            [TaxonomyNotes.ThoughtChars] = 10 * thoughts,
            [TaxonomyNotes.ForcedFinish] = made.Forced ? 1 : 0,
            [TaxonomyNotes.ChoiceParseFailed] = made.ParseFailures,
            [TaxonomyNotes.ReasonerTokens] = 8 * made.Choices.Length,
        };
        return new SampleRecord("", "", "<answer>7</answer>", "7", made.Score, true, 20, 80, "stop", segments, stats);
    }
}
