using HierReason.Core.Json;
using HierReason.Core.Results;
using System.Text.Json;

namespace HierReason.Harness.Tests.Reporting;

/// <summary>Small synthetic results (no models): three tasks × two models, fixed numbers.</summary>
public static class SampleResults
{
    public static readonly string[] Tasks = ["leg_counting", "basic_arithmetic", "chain_sum"];
    public static readonly string[] Models = ["tiny-sft", "tiny-grpo"];

    public static RunMetadata Run(string timestamp = "20260101-120000") => new(
        "run-1", timestamp, new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero), 12.5, "abc123", "linux test box",
        ["cpu:0"], new Dictionary<string, string> { ["HierReason"] = "0.1.0" });

    public static ScoreRow Row(string task, string model, double accuracy, double stdErr = 0.035, int n = 200)
        => new(task, model, accuracy, stdErr, n, 0.95, 42.0, 1, 0);

    public static BenchmarkSummary Summary(params ScoreRow[] rows)
    {
        rows = rows.Length > 0 ? rows :
        [
            Row("leg_counting", "tiny-sft", 0.425), Row("leg_counting", "tiny-grpo", 0.61),
            Row("basic_arithmetic", "tiny-sft", 0.30, 0.032), Row("basic_arithmetic", "tiny-grpo", 0.355, 0.034),
            Row("chain_sum", "tiny-sft", 0.12, 0.023), Row("chain_sum", "tiny-grpo", 0.18, 0.027),
        ];
        var tasks = rows.Select(r => r.Task).Distinct().ToList();
        var models = rows.Select(r => r.Model).Distinct().ToList();
        var averages = models.Select(m =>
        {
            var mine = rows.Where(r => r.Model == m).ToList();
            return new ModelAverage(m, mine.Average(r => r.Accuracy), Math.Sqrt(mine.Sum(r => r.StdErr * r.StdErr)) / mine.Count, mine.Count);
        }).ToList();
        return new BenchmarkSummary(BenchmarkSummary.CurrentSchema, Run(), tasks, models, rows, averages);
    }

    public static TaskResults Task(BenchmarkSummary summary, string task)
        => new(BenchmarkSummary.CurrentSchema, summary.Run, task, summary.Rows.Where(r => r.Task == task).ToList());

    public static string Write<T>(string dir, string name, T value)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, JsonSerializer.Serialize(value, HierJson.Indented));
        return path;
    }
}
