using System.Buffers.Binary;
using System.Text.Json;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Cli.Tests.Commands;

/// <summary>A temp results folder with synthetic benchmark results (two tasks × two models), for plot and verify.</summary>
public sealed class ReportingFixture : IDisposable
{
    public const string Timestamp = "20260102-030405";

    public ReportingFixture() => Directory.CreateDirectory(Dir);

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "hierreason-cli-reporting-" + Guid.NewGuid().ToString("N"));

    public string PathOf(string name) => Path.Combine(Dir, name);

    public static ScoreRow Row(string task, string model, double accuracy, double stdErr = 0.03, int n = 250)
        => new(task, model, accuracy, stdErr, n, 1.0, 30.0, 1, 0);

    public static ScoreRow[] DefaultRows() =>
    [
        Row("leg_counting", "tiny-sft", 0.40), Row("leg_counting", "tiny-grpo", 0.55),
        Row("chain_sum", "tiny-sft", 0.20), Row("chain_sum", "tiny-grpo", 0.26),
    ];

    public static BenchmarkSummary Summary(ScoreRow[] rows)
    {
        var run = new RunMetadata("run-7", Timestamp, DateTimeOffset.UnixEpoch, 1.0, null, "test", ["cpu:0"], new Dictionary<string, string>());
        var models = rows.Select(r => r.Model).Distinct().ToList();
        var averages = models.Select(m => rows.Where(r => r.Model == m).ToList())
            .Select(mine => new ModelAverage(mine[0].Model, mine.Average(r => r.Accuracy), Math.Sqrt(mine.Sum(r => r.StdErr * r.StdErr)) / mine.Count, mine.Count))
            .ToList();
        return new BenchmarkSummary(BenchmarkSummary.CurrentSchema, run, rows.Select(r => r.Task).Distinct().ToList(), models, rows, averages);
    }

    /// <summary>Writes results_all_tasks_&lt;ts&gt;.json (or another name) and returns its path.</summary>
    public string WriteSummary(ScoreRow[]? rows = null, string? name = null)
        => Write(name ?? $"results_all_tasks_{Timestamp}.json", Summary(rows ?? DefaultRows()));

    public string WriteTask(string task)
    {
        var s = Summary(DefaultRows());
        return Write($"results_{task}_{Timestamp}.json", new TaskResults(s.SchemaVersion, s.Run, task, s.Rows.Where(r => r.Task == task).ToList()));
    }

    public string Write<T>(string name, T value)
    {
        var path = PathOf(name);
        File.WriteAllText(path, JsonSerializer.Serialize(value, HierJson.Indented));
        return path;
    }

    public static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal("\x89PNG", System.Text.Encoding.Latin1.GetString(bytes, 0, 4));
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { /* a leftover temp directory is harmless */ }
    }
}
