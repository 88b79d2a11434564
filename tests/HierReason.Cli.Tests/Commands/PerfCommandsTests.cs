using System.Text.Json.Nodes;
using HierReason.Core.Perf;

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
        var run = await CliRun.Of("perf", "tasks", "--items", "200", "--warmup", "0.1", "--tasks", "leg_counting", "--json", "--output", output);
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
        // No anchor of this run: no reasoning-gym figure and no ratio to it.
        Assert.Null(legs["reasoning_gym_items_per_cpu_second"]);
        Assert.Null(legs["ratio_to_reasoning_gym"]);
        Assert.Null(legs["meets_target"]);
        Assert.StartsWith("none:", (string)report["reference_provenance"]!);
        Assert.Equal((double)legs["items_per_cpu_second"]! / baseline, (double)legs["ratio_to_baseline"]!, 9);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(output)!, "*.tmp"));
    }

    private string Anchor(string hostname, string cpuModel, DateTimeOffset measuredAt, double legsPerCpuSecond = 40_000)
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, $"anchor-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, new JsonObject
        {
            ["kind"] = "reasoning-gym-anchor",
            ["schema_version"] = 1,
            ["reasoning_gym"] = "reasoning-gym checkout 49b0713",
            ["python"] = "CPython 3.11.7",
            ["machine"] = new JsonObject { ["hostname"] = hostname, ["cpu_model"] = cpuModel, ["logical_cores"] = 2 },
            ["measured_at"] = measuredAt.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            ["tasks"] = new JsonObject { ["leg_counting"] = new JsonObject { ["items"] = 5000, ["runs"] = new JsonArray(legsPerCpuSecond), ["items_per_cpu_second"] = legsPerCpuSecond } },
        }.ToJsonString());
        return path;
    }

    [Fact]
    public async Task With_an_anchor_of_this_run_each_task_gets_its_ratio_to_reasoning_gym()
    {
        var host = HostIdentity.Current();
        var anchor = Anchor(host.Hostname, host.CpuModel, DateTimeOffset.UtcNow.AddMinutes(-2), legsPerCpuSecond: 40_000);
        var output = Path.Combine(_dir, "tasks-anchored.json");
        var run = await CliRun.Of("perf", "tasks", "--items", "200", "--warmup", "0.1", "--tasks", "leg_counting,chain_sum", "--json", "--output", output, "--anchor", anchor);
        Assert.True(run.ExitCode == 0, run.Err);
        var report = JsonNode.Parse(File.ReadAllText(output))!;
        Assert.Contains("reasoning-gym checkout 49b0713", (string)report["reference_provenance"]!);
        Assert.Equal(host.Hostname, (string)report["host"]!["hostname"]!);
        var rows = report["tasks"]!.AsArray();
        var legs = rows.Single(r => (string)r!["task"]! == "leg_counting")!;
        Assert.Equal(40_000.0, (double)legs["reasoning_gym_items_per_cpu_second"]!);
        var ratio = (double)legs["items_per_cpu_second"]! / 40_000.0;
        Assert.Equal(ratio, (double)legs["ratio_to_reasoning_gym"]!, 9);
        Assert.Equal(ratio >= 20, (bool)legs["meets_target"]!);
        // The anchor did not measure chain_sum: no ratio for it.
        var chain = rows.Single(r => (string)r!["task"]! == "chain_sum")!;
        Assert.Null(chain["ratio_to_reasoning_gym"]);
    }

    [Fact]
    public async Task An_anchor_from_another_host_or_an_earlier_day_is_refused()
    {
        var host = HostIdentity.Current();
        var elsewhere = await CliRun.Of("perf", "tasks", "--items", "10", "--tasks", "leg_counting", "--output", Path.Combine(_dir, "a.json"),
            "--anchor", Anchor("another-box", host.CpuModel, DateTimeOffset.UtcNow));
        Assert.Equal(2, elsewhere.ExitCode);
        Assert.Contains("$.machine", elsewhere.Err);
        Assert.Contains("a ratio across machines is not a measurement", elsewhere.Err);
        Assert.Contains("another-box", elsewhere.Err);

        var yesterday = await CliRun.Of("perf", "tasks", "--items", "10", "--tasks", "leg_counting", "--output", Path.Combine(_dir, "b.json"),
            "--anchor", Anchor(host.Hostname, host.CpuModel, DateTimeOffset.UtcNow.AddDays(-1)));
        Assert.Equal(2, yesterday.ExitCode);
        Assert.Contains("$.measured_at", yesterday.Err);
        Assert.Contains("1440 minutes before now", yesterday.Err);
        Assert.False(File.Exists(Path.Combine(_dir, "b.json")));
    }

    [Fact]
    public async Task A_malformed_anchor_names_the_file_and_the_field()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "bad-anchor.json");
        File.WriteAllText(path, """{ "kind": "reasoning-gym-anchor", "reasoning_gym": "x", "python": "y", "machine": { "hostname": "h", "cpu_model": "c" }, "measured_at": "2026-12-07T20:00:00+00:00", "tasks": { "leg_counting": { "items_per_cpu_second": -3 } } }""");
        var run = await CliRun.Of("perf", "tasks", "--items", "10", "--output", Path.Combine(_dir, "c.json"), "--anchor", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(path, run.Err);
        Assert.Contains("$.tasks.leg_counting.items_per_cpu_second", run.Err);
        Assert.Contains("a positive number", run.Err);
    }

    [Fact]
    public async Task Perf_tasks_prints_a_table_without_json()
    {
        var output = Path.Combine(_dir, "tasks.json");
        var run = await CliRun.Of("perf", "tasks", "--items", "100", "--warmup", "0.1", "--output", output);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("leg_counting", run.Out);
        Assert.Contains("reference: none: no reasoning-gym anchor of this run", run.Out);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public async Task An_unknown_task_in_the_list_exits_2()
    {
        var run = await CliRun.Of("perf", "tasks", "--items", "10", "--tasks", "leg_counting,nope", "--output", Path.Combine(_dir, "x.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--tasks: unknown task 'nope'", run.Err);
    }

    [Fact]
    public async Task Perf_generate_quick_without_qwen_writes_a_json_report_with_machine_and_throughput()
    {
        var output = Path.Combine(_dir, "perf", "generate.json");
        var run = await CliRun.Of("perf", "generate", "--quick", "--no-qwen", "--threads", "1", "--output", output);
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

    [Fact]
    public async Task Perf_train_measures_each_experiment_with_the_efficiency_switches_off_and_on()
    {
        var experiments = Path.Combine(_dir, "experiments");
        Directory.CreateDirectory(experiments);
        const string model = """ "model": { "init": "tiny", "seed": 0 }, "data": { "tasks": [ { "task": "chain_sum", "level": 0 }, { "task": "leg_counting", "level": 0 } ] } """;
        var sft = Path.Combine(experiments, "sft.json");
        File.WriteAllText(sft, $$"""{ {{model}}, "sft": { "steps": 4, "batch_size": 2, "max_seq_len": 400 } }""");
        var grpo = Path.Combine(experiments, "grpo.json");
        File.WriteAllText(grpo, $$"""{ {{model}}, "grpo": { "steps": 2, "prompts_per_step": 2, "num_generations": 2, "max_new_tokens": 6, "overlong_cache_length": 2 } }""");
        var output = Path.Combine(_dir, "perf", "train.json");
        var run = await CliRun.Of("perf", "train", "--sft-experiment", sft, "--grpo-experiment", grpo, "--sft-steps", "2", "--grpo-steps", "1",
            "--repeats", "1", "--threads", "1", "--output", output);
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Contains("| SFT mode |", run.Out);
        Assert.Contains("| GRPO mode |", run.Out);
        var report = JsonNode.Parse(File.ReadAllText(output))!;
        Assert.Equal(["baseline", "efficient", "bucketed"], report["sft"]!.AsArray().Select(m => (string)m!["mode"]!));
        Assert.Equal(["baseline", "efficient"], report["grpo"]!.AsArray().Select(m => (string)m!["mode"]!));
        Assert.Equal([1, 1, 8], report["sft"]!.AsArray().Select(m => (int)m!["summary"]!["bucket_steps"]!));
        foreach (var m in report["sft"]!.AsArray())
        {
            var summary = m!["summary"]!;
            Assert.Equal(2, (int)summary["steps"]!);
            Assert.InRange((double)summary["useful_fraction"]!, 0.01, 1.0);
            Assert.True((double)summary["hardware_flops_ratio"]! > (double)summary["model_flops_ratio"]!);
        }
        foreach (var m in report["grpo"]!.AsArray())
        {
            var summary = m!["summary"]!;
            Assert.Equal(1, (int)summary["steps"]!);
            Assert.InRange((double)summary["generation_useful_fraction"]!, 0.01, 1.0);
            Assert.InRange((double)summary["training_useful_fraction"]!, 0.01, 1.0);
            Assert.True((double)summary["training_hardware_flops_ratio"]! > 0);
        }
        Assert.Single(report["sft_speedups"]!.AsArray());
        Assert.Single(report["sft_bucketed_speedups"]!.AsArray());
        Assert.Single(report["generation_speedups"]!.AsArray());
        Assert.True((double)report["matmul_flops_per_s_before"]! > 0);
        Assert.Equal(Environment.ProcessorCount, (int)report["machine"]!["processor_count"]!);
    }

    [Fact]
    public async Task Perf_grad_noise_writes_the_batches_and_an_estimate_consistent_with_them()
    {
        Directory.CreateDirectory(_dir);
        var grpo = Path.Combine(_dir, "grpo.json");
        File.WriteAllText(grpo, """
            { "model": { "init": "tiny", "seed": 0 }, "data": { "tasks": [ { "task": "chain_sum", "level": 0 } ] },
              "grpo": { "steps": 2, "prompts_per_step": 2, "num_generations": 4, "max_new_tokens": 8, "overlong_cache_length": 2, "temperature": 1.0 } }
            """);
        var output = Path.Combine(_dir, "perf", "grad_noise.json");
        var run = await CliRun.Of("perf", "grad-noise", "--experiment", grpo, "--batches", "3", "--prompts-per-step", "3", "--threads", "1", "--output", output);
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Contains("per-weight sign agreement", run.Out);
        var report = JsonNode.Parse(File.ReadAllText(output))!;
        var batches = report["batches"]!.AsArray();
        Assert.Equal(3, batches.Count);
        var estimate = report["estimate"]!;
        Assert.Equal((3, 12), ((int)estimate["batches"]!, (int)estimate["batch_size"]!));
        // The mean squared norm is the batches' own: a figure the report can be checked against.
        var meanSquared = batches.Average(b => Math.Pow((double)b!["grad_norm"]!, 2));
        Assert.Equal(meanSquared, (double)estimate["mean_squared_norm"]!, meanSquared * 1e-4);
        Assert.InRange((double)estimate["sign_agreement"]!, 0.0, 1.0);
        Assert.Equal(Environment.ProcessorCount, (int)report["machine"]!["processor_count"]!);
    }

    [Fact]
    public async Task Perf_train_without_the_grpo_starting_model_exits_2_saying_what_to_train()
    {
        var grpo = Path.Combine(_dir, "grpo.json");
        Directory.CreateDirectory(_dir);
        File.WriteAllText(grpo, """{ "model": { "from": "no/such/model" }, "data": { "tasks": [ { "task": "chain_sum" } ] }, "grpo": { "steps": 1 } }""");
        var run = await CliRun.Of("perf", "train", "--grpo-experiment", grpo, "--sft-steps", "0", "--threads", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no/such/model", run.Err);
        Assert.Contains("--model", run.Err);
    }
}
