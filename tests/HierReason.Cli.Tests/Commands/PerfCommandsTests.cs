using System.Text.Json.Nodes;

namespace HierReason.Cli.Tests.Commands;

public sealed class PerfCommandsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hierreason-perf-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* a leftover temp directory is harmless */ }
    }

    [Fact]
    public async Task Perf_tasks_writes_a_json_report_with_machine_baseline_and_reference_ratios()
    {
        var output = Path.Combine(_dir, "perf", "tasks.json");
        var run = await CliRun.Of("perf", "tasks", "--items", "200", "--warmup", "0.1", "--tasks", "leg_counting", "--json", "--out", output);
        Assert.Equal(0, run.ExitCode);
        var report = JsonNode.Parse(File.ReadAllText(output))!;
        Assert.Equal(JsonNode.Parse(run.Out)!.ToJsonString(), report.ToJsonString());
        Assert.Equal(Environment.ProcessorCount, (int)report["machine"]!["processor_count"]!);
        Assert.False(string.IsNullOrEmpty((string?)report["machine"]!["dotnet"]));
        Assert.Equal(200, (int)report["items_per_task"]!);
        Assert.True((double)report["baseline_ops_per_second"]! > 0);
        var baseline = (double)report["baseline_ops_per_cpu_second"]!;
        Assert.True(baseline > 0);
        var legs = Assert.Single(report["tasks"]!.AsArray())!;
        Assert.Equal("leg_counting", (string)legs["task"]!);
        var rate = (double)legs["items_per_second"]!;
        Assert.True(rate > 0);
        Assert.Equal(49_000.0, (double)legs["reasoning_gym_items_per_second"]!);
        Assert.Equal((double)legs["items_per_cpu_second"]! / 49_000.0, (double)legs["ratio_to_reasoning_gym"]!, 9);
        Assert.Equal((double)legs["items_per_cpu_second"]! / baseline, (double)legs["ratio_to_baseline"]!, 9);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(output)!, "*.tmp"));
    }

    [Fact]
    public async Task Perf_tasks_prints_a_table_without_json()
    {
        var output = Path.Combine(_dir, "tasks.json");
        var run = await CliRun.Of("perf", "tasks", "--items", "100", "--warmup", "0.1", "--out", output);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("leg_counting", run.Out);
        Assert.Contains("reasoning-gym", run.Out);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public async Task An_unknown_task_in_the_list_exits_2()
    {
        var run = await CliRun.Of("perf", "tasks", "--items", "10", "--tasks", "leg_counting,nope", "--out", Path.Combine(_dir, "x.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--tasks: unknown task 'nope'", run.Err);
    }

    [Fact]
    public async Task Perf_generate_quick_without_qwen_writes_a_json_report_with_machine_and_throughput()
    {
        var output = Path.Combine(_dir, "perf", "generate.json");
        var run = await CliRun.Of("perf", "generate", "--quick", "--no-qwen", "--threads", "1", "--out", output);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("| tiny | float32 | decode |", run.Out);
        Assert.Contains("perf generate: machine baseline", run.Err);
        var report = JsonNode.Parse(File.ReadAllText(output))!;
        Assert.Equal(Environment.ProcessorCount, (int)report["machine"]!["processor_count"]!);
        Assert.NotNull((string?)report["machine"]!["date"]);
        Assert.Equal(1, (int)report["threads"]!);
        var throughput = report["throughput"]!.AsArray();
        Assert.All(throughput, t => Assert.Equal("tiny", (string)t!["model"]!));
        Assert.Contains(throughput, t => (string)t!["phase"]! == "decode" && (int)t["batch"]! == 4);
        Assert.All(throughput, t => Assert.True((double)t!["tokens_per_second"]! > 0));
        Assert.Contains(throughput, t => (string)t!["dtype"]! == "bfloat16");
        Assert.True((double)report["baseline"]!["bfloat16_flops_per_second"]! > 0);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(output)!, "*.tmp"));
    }
}
