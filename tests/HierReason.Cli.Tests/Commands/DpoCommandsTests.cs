namespace HierReason.Cli.Tests.Commands;

public sealed class DpoCommandsTests(TinyModelFolder folder) : IClassFixture<TinyModelFolder>
{
    private string Pairs(params string[] lines)
    {
        var path = Path.Combine(folder.NewFolder("pairs"), "pairs.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task A_bad_pairs_line_exits_2_naming_the_line()
    {
        var data = Pairs("""{"prompt": "1 + 2 =", "chosen": "1 + 2 = 3", "rejected": "1 + 2 = 4"}""", """{"prompt": "q"}""");
        var run = await CliRun.Of("dpo", "train", "--data", data, "--model", folder.Model, "--output", folder.NewFolder("out"), "--threads", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{data}:2: expected string fields prompt, chosen and rejected", run.Err);
    }

    [Theory]
    [InlineData("--alternatives", "2147483647", "--alternatives: expected an integer in [0, 256]; found 2147483647")]
    [InlineData("--solutions", "2147483647", "--solutions: expected an integer in [2, 256]")]
    [InlineData("--max-pairs-per-item", "-1", "--max-pairs-per-item: expected at least 1; found -1")]
    [InlineData("--kind", "best", "--kind: expected one of outcome, prm, step; found 'best'")]
    public async Task Pairs_refuse_out_of_range_options_with_exit_2_before_sampling(string option, string value, string expected)
    {
        var run = await CliRun.Of("dpo", "pairs", "--model", folder.Model, "--task", "chain_sum", "--n-items", "2",
            "--output", Path.Combine(folder.NewFolder("pairs"), "p.jsonl"), option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Err);
    }

    [Fact]
    public async Task A_non_positive_beta_exits_2()
    {
        var data = Pairs("""{"prompt": "1 + 2 =", "chosen": "1 + 2 = 3", "rejected": "1 + 2 = 4"}""");
        var run = await CliRun.Of("dpo", "train", "--data", data, "--model", folder.Model, "--output", folder.NewFolder("out"), "--beta", "0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--beta: expected a positive number", run.Err);
    }

    [Fact]
    public async Task Train_writes_the_model_and_the_summary_and_prints_before_and_after()
    {
        Assert.Equal(0, folder.Init.ExitCode);
        var data = Pairs(
            """{"prompt": "1 + 2 =", "chosen": "1 + 2 = 3", "rejected": "1 + 2 = 4"}""",
            """{"prompt": "5 + 2 =", "initial_reason_steps": "5 + 1 = 6\n", "chosen": "6 + 1 = 7", "rejected": "6 + 1 = 8"}""");
        var output = folder.NewFolder("dpo");
        var run = await CliRun.Of("dpo", "train", "--data", data, "--model", folder.Model, "--output", output, "--lr", "1e-4", "--batch-size", "2", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Contains("dpo: 1 steps, reference frozen-copy", run.Out);
        Assert.Contains("dpo: done; loss 0.6931 ->", run.Out);
        Assert.True(File.Exists(Path.Combine(output, "training_summary.json")));
        Assert.True(File.Exists(Path.Combine(output, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(output, "checkpoint-1", "optimizer.bin")));
    }
}
