namespace HierReason.Cli.Tests.Commands;

public sealed class PlotCommandTests : IDisposable
{
    private readonly ReportingFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task A_single_task_file_becomes_a_comparison_chart_next_to_it()
    {
        var input = _fx.WriteTask("leg_counting");
        var run = await CliRun.Of("plot", input);
        Assert.Equal(0, run.ExitCode);
        var png = _fx.PathOf($"comparison_leg_counting_{ReportingFixture.Timestamp}.png");
        Assert.Contains("single-task results (leg_counting)", run.Out, StringComparison.Ordinal);
        Assert.Contains(png, run.Out, StringComparison.Ordinal);
        Assert.Equal((1000, 600), ReportingFixture.PngSize(png));
    }

    [Fact]
    public async Task An_all_tasks_file_becomes_the_summary_chart()
    {
        var input = _fx.WriteSummary();
        var run = await CliRun.Of("plot", input);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("all-tasks summary (2 tasks)", run.Out, StringComparison.Ordinal);
        Assert.Equal((1000, 600), ReportingFixture.PngSize(_fx.PathOf($"summary_all_tasks_{ReportingFixture.Timestamp}.png")));
    }

    [Fact]
    public async Task Output_title_size_and_renames_are_taken_from_the_options()
    {
        var input = _fx.WriteSummary();
        var names = _fx.Write("names.json", new Dictionary<string, string> { ["tiny-sft"] = "SFT" });
        var output = Path.Combine(_fx.Dir, "charts", "mine.png");
        var run = await CliRun.Of("plot", input, "--title", "Nightly", "--rename", "tiny-grpo=GRPO", "--rename-file", names,
            "--output", output, "--width", "1200", "--height", "700");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal((1200, 700), ReportingFixture.PngSize(output));
    }

    [Theory]
    [InlineData("--rename", "nonsense")]
    [InlineData("--width", "20")]
    [InlineData("--rename-file", "/no/such/names.json")]
    public async Task Bad_options_exit_2_with_a_message(string option, string value)
    {
        var run = await CliRun.Of("plot", _fx.WriteSummary(), option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Err, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_fx.Dir, "*.png"));
    }

    [Fact]
    public async Task A_results_folder_plots_its_newest_all_tasks_file()
    {
        _fx.WriteSummary();
        var run = await CliRun.Of("plot", _fx.Dir);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("all-tasks summary (2 tasks)", run.Out, StringComparison.Ordinal);
        Assert.Equal((1000, 600), ReportingFixture.PngSize(_fx.PathOf($"summary_all_tasks_{ReportingFixture.Timestamp}.png")));
    }

    [Fact]
    public async Task An_svg_output_is_written_as_svg_and_another_extension_exits_2()
    {
        var input = _fx.WriteSummary();
        var svg = Path.Combine(_fx.Dir, "chart.svg");
        var run = await CliRun.Of("plot", input, "--output", svg);
        Assert.Equal(0, run.ExitCode);
        var text = File.ReadAllText(svg);
        Assert.Contains("<svg", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PNG", text[..Math.Min(8, text.Length)], StringComparison.Ordinal);
        Assert.Contains("tiny-sft", text, StringComparison.Ordinal);

        var jpg = Path.Combine(_fx.Dir, "chart.jpg");
        var refused = await CliRun.Of("plot", input, "--output", jpg);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains(".png or .svg", refused.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(jpg));
    }

    [Fact]
    public async Task Renaming_a_model_the_results_do_not_have_exits_2_naming_it()
    {
        var run = await CliRun.Of("plot", _fx.WriteSummary(), "--rename", "tiny-sf=SFT");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'tiny-sf'", run.Err, StringComparison.Ordinal);
        Assert.Contains("tiny-sft", run.Err, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_fx.Dir, "*.png"));
    }

    [Fact]
    public async Task A_file_that_is_not_results_exits_2_naming_it()
    {
        var input = _fx.Write("other.json", new { hello = "world" });
        var run = await CliRun.Of("plot", input);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(input + ": $", run.Err, StringComparison.Ordinal);
    }
}
