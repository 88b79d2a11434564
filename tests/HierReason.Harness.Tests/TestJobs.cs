using System.Text.Json.Nodes;
using HierReason.Core.Results;

namespace HierReason.Harness.Tests;

/// <summary>Small hand-made jobs and results for scheduler and aggregation tests.</summary>
internal static class TestJobs
{
    public static ModelSpec Model(string name, int maxTokens = 256) =>
        new(name, "local", "/models/" + name, null, null, null, GenerationSpec.Default with { MaxTokens = maxTokens }, null, null, null, 8, "hash-" + name);

    public static EvalJob Job(string task, string model, long seed = 0, int n = 100, int? syntheticMs = null) =>
        new($"{task}-{model}-{seed}", task, new JsonObject(), null, "test", seed, n, Model(model), "", "", "", SyntheticMs: syntheticMs);

    public static JobResult Result(string task, string model, long seed, params double[] scores)
    {
        var n = scores.Length;
        var sum = scores.Sum();
        var squares = scores.Sum(s => s * s);
        return new JobResult($"{task}-{model}-{seed}", JobResult.Succeeded, task, model, "test", seed, n, n == 0 ? 0 : sum / n, 0, sum, squares,
            1.0, 10, 100, 1.5, "cpu:0", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    }

    /// <summary>A result whose items had these gold answers and got these answers (scored exactly), with its answer diagnostics.</summary>
    public static JobResult Answered(string task, string model, long seed, string[] gold, string?[] given)
    {
        var tally = AnswerTally.Of(given, gold, g => g, (a, g) => a == g ? 1 : 0);
        return Result(task, model, seed, given.Select((a, i) => a == gold[i] ? 1.0 : 0.0).ToArray()) with
        {
            DistinctAnswers = tally.DistinctAnswers,
            GoldDistinctAnswers = tally.GoldDistinctAnswers,
            TopAnswerShare = tally.TopAnswerShare,
            ConstantAnswerAccuracy = tally.ConstantAnswerAccuracy,
            Answers = tally,
        };
    }
}
