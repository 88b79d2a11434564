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
}
