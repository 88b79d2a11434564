namespace HierReason.Cli.Tests.Commands;

public sealed class TaxonomySummaryCommandTests : IDisposable
{
    private readonly ReportingFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task Results_without_taxonomy_rows_exit_2_and_write_nothing()
    {
        var run = await CliRun.Of("taxonomy-summary", Path.GetDirectoryName(_fx.WriteSummary())!);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no scored row of the 'taxonomy' strategy (run run-7 has vanilla)", run.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(_fx.PathOf("taxonomy.json")));
        Assert.False(File.Exists(_fx.PathOf("taxonomy-types.png")));
    }

    [Fact]
    public async Task A_missing_results_folder_exits_2_naming_it()
    {
        var missing = _fx.PathOf("no-such-results");

        var run = await CliRun.Of("taxonomy-summary", missing);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{missing}: no such results folder", run.Err, StringComparison.Ordinal);
    }
}
