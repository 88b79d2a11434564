using System.Text.Json;
using HierReason.Cli;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Harness.Reporting.Html;
using HierReason.Harness.Thinking;

namespace HierReason.Harness.Tests.Thinking;

public sealed class TaxonomyReportTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private TaxonomyReport Report() => TaxonomyReport.Of(ReportedRun.Load(TaxonomyRuns.Write(_dir.Path)));

    private static TaxonomyRow Row(TaxonomyReport report, string model) => Assert.Single(report.Rows, r => r.Model == model);

    [Fact]
    public void Taxonomy_rows_carry_their_options_and_vanilla_rows_their_accuracy()
    {
        var report = Report();

        Assert.Equal(["qwen", "big", "qwen-taxonomy", "tiny-chooser"], report.Rows.Select(r => r.Model));
        var taxonomy = Row(report, "qwen-taxonomy");
        Assert.Equal(("taxonomy", "chain_sum", "scripted", 0, "scripted"), (taxonomy.Strategy, taxonomy.Task, taxonomy.Taxonomy, taxonomy.TaxonomyLevel, taxonomy.Reasoner));
        Assert.Equal((5, 0.6), (taxonomy.N, taxonomy.Accuracy));
        var vanilla = Row(report, "qwen");
        Assert.Equal(("vanilla", 5, 0.2), (vanilla.Strategy, vanilla.N, vanilla.Accuracy));
        Assert.Null(vanilla.Episodes);
        Assert.Null(vanilla.Taxonomy);
    }

    [Fact]
    public void Accuracy_interval_is_Wilson_on_the_effective_n()
    {
        var taxonomy = Row(Report(), "qwen-taxonomy");

        // 3 of 5 distinct questions: se² = s² / n with Bessel's s² = 0.3, so the effective n is p(1 − p) / se² = 0.24 / 0.06 = 4.
        // Wilson at p = 0.6, n = 4, z = 1.95996: centre (0.6 + z²/8) / (1 + z²/4) = 0.55101, half-width 0.34637.
        Assert.Equal(0.2046386728569916, taxonomy.CiLow, 9);
        Assert.Equal(0.8973831598520892, taxonomy.CiHigh, 9);
    }

    [Fact]
    public void Thought_types_are_shared_out_overall_and_in_correct_and_incorrect_episodes()
    {
        var e = Row(Report(), "qwen-taxonomy").Episodes!;

        Assert.Equal((5, 3), (e.Episodes, e.CorrectEpisodes));
        Assert.Equal(["compute", "check", "guess"], e.Types.Select(t => t.Id));
        Assert.Equal(["Compute", "Check", "Guess"], e.Types.Select(t => t.Label));
        Assert.Equal([6, 1, 2], e.Types.Select(t => t.Count));
        AssertShares([6 / 9.0, 1 / 9.0, 2 / 9.0], e.Types);
        AssertShares([4 / 5.0, 1 / 5.0, 0], e.TypesCorrect);
        AssertShares([2 / 4.0, 0, 2 / 4.0], e.TypesIncorrect);
        Assert.Equal(9 / 5.0, e.MeanThoughts, 12);
    }

    [Fact]
    public void A_forced_finish_counts_its_thought_and_no_Finish_choice()
    {
        var e = Row(Report(), "qwen-taxonomy").Episodes!;

        // Item 3 chose compute, compute, guess and was then made to answer: 3 thoughts, 3 choices, no Finish among them.
        Assert.Equal(1 / 5.0, e.ForcedFinishRate, 12);
        Assert.Equal(4 / 5.0, e.ExplicitFinishRate, 12);
        Assert.Equal(["compute", "check", "guess", "finish"], e.Choices.Select(c => c.Id));
        Assert.Equal([6, 1, 2, 4], e.Choices.Select(c => c.Count));
        Assert.Equal(1 / 13.0, e.ChoiceParseFailureRate, 12);
    }

    [Fact]
    public void Choice_distribution_KL_to_the_uniform_chooser_uses_K_from_the_options()
    {
        var report = Report();
        var e = Row(report, "qwen-taxonomy").Episodes!;

        Assert.Equal((4, TaxonomyEpisodes.FromOptions), (e.OptionCount, e.OptionCountSource));
        // ln 4 + Σ p ln p over p = 6/13, 1/13, 2/13, 4/13.
        Assert.Equal(0.1815010514251063, e.KlToUniform, 12);
        // tiny-chooser: Guess and Finish half each of K = 4: ln 4 − ln 2 = ln 2.
        Assert.Equal(Math.Log(2), Row(report, "tiny-chooser").Episodes!.KlToUniform, 12);
    }

    [Fact]
    public void Without_options_K_is_the_choices_seen()
    {
        var episodes = new[]
        {
            new TaxonomyEpisode(true, [("compute", "Compute"), ("compute", "Compute"), ("compute", "Compute")], ["compute", "compute", "compute", "finish"], false, true, 0),
        };

        var e = TaxonomyEpisodes.Of(episodes, levelTypes: null);

        Assert.Equal((2, TaxonomyEpisodes.FromSeen), (e.OptionCount, e.OptionCountSource));
        // ln 2 + 0.75 ln 0.75 + 0.25 ln 0.25.
        Assert.Equal(0.13081203594113694, e.KlToUniform, 12);
    }

    [Fact]
    public void Taxonomy_is_paired_with_the_vanilla_row_of_its_choosers_checkpoint()
    {
        var a = Row(Report(), "qwen-taxonomy").Against!;

        Assert.Equal(("qwen", VanillaComparison.SameModel, 5), (a.Model, a.Match, a.Items));
        // Differences per item 1, 1, 0, 0, 0: mean 0.4, Bessel variance 1.2 / 4 = 0.3, se = √(0.3 / 5) = √0.06.
        Assert.Equal(0.4, a.Delta, 12);
        Assert.Equal(Math.Sqrt(0.06), a.StdErr, 12);
        Assert.False(a.BeyondTwoStdErr);
        Assert.Equal((2, 0), (a.OnlyTaxonomy, a.OnlyVanilla));
        Assert.Equal(0.5, a.PValue, 12);
    }

    [Fact]
    public void A_chooser_without_its_own_vanilla_row_among_several_is_not_compared_and_says_so()
    {
        var report = Report();

        Assert.Null(Row(report, "tiny-chooser").Against);
        Assert.Contains("chain_sum × tiny-chooser: 2 vanilla rows of chain_sum and none of its chooser's model: not compared", report.Notes);
    }

    [Fact]
    public void A_tasks_only_vanilla_row_is_the_opponent_when_no_row_runs_the_chooser()
    {
        var taxonomy = new ScoreRow("chain_sum", "tiny-chooser", 0.5, 0.1, 10, 1, 10, 1, 0, Strategy: "taxonomy");
        var vanilla = new ScoreRow("chain_sum", "big", 0.7, 0.1, 10, 1, 10, 1, 0);
        var other = vanilla with { Task = "leg_counting", Model = "tiny-chooser" };
        var notes = new List<string>();

        var opponent = TaxonomyReport.Opponent(taxonomy, null, [(vanilla, null), (other, null)], notes);

        Assert.Equal(("big", VanillaComparison.OnlyRow), (opponent!.Value.Row.Model, opponent.Value.Match));
        Assert.Empty(notes);
    }

    [Fact]
    public void Heatmap_lines_are_rows_by_outcome_and_a_line_without_thoughts_is_blank()
    {
        var heatmap = ThoughtTypeHeatmap.Of(Report());

        Assert.Equal(["Compute", "Check", "Guess"], heatmap.Columns);
        Assert.Equal(
            ["chain_sum × qwen-taxonomy L0: correct, 3 episodes", "chain_sum × qwen-taxonomy L0: incorrect, 2 episodes", "chain_sum × tiny-chooser L0: correct, 0 episodes", "chain_sum × tiny-chooser L0: incorrect, 5 episodes"],
            heatmap.Lines);
        Assert.Equal([0.8, 0.2, 0.0], heatmap.Shares[0].Select(s => Math.Round(s!.Value, 12)));
        Assert.All(heatmap.Shares[2], Assert.Null);
        Assert.Equal([0.0, 0.0, 1.0], heatmap.Shares[3].Select(s => s!.Value));
    }

    [Fact]
    public void Report_files_are_written_beside_the_results_and_read_back()
    {
        var results = TaxonomyRuns.Write(_dir.Path);
        var report = TaxonomyReport.Of(ReportedRun.Load(results));

        var written = TaxonomyFiles.Write(report, results);

        Assert.Equal([TaxonomyFiles.JsonName, TaxonomyFiles.MarkdownName, TaxonomyFiles.HeatmapPngName, TaxonomyFiles.HeatmapSvgName], written.Select(Path.GetFileName));
        var png = File.ReadAllBytes(Path.Combine(results, TaxonomyFiles.HeatmapPngName));
        Assert.True(png.Length > 1000);
        Assert.Equal("\x89PNG", System.Text.Encoding.Latin1.GetString(png, 0, 4));
        Assert.Contains("Compute", File.ReadAllText(Path.Combine(results, TaxonomyFiles.HeatmapSvgName)), StringComparison.Ordinal);
        var json = File.ReadAllText(Path.Combine(results, TaxonomyFiles.JsonName));
        var back = JsonSerializer.Deserialize<TaxonomyReport>(json, HierJson.Options)!;
        Assert.Equal(0.1815010514251063, Assert.Single(back.Rows, r => r.Model == "qwen-taxonomy").Episodes!.KlToUniform, 12);
        Assert.Contains("\"kl_to_uniform\"", json, StringComparison.Ordinal);
        Assert.Contains("| Compute (`compute`) | 66.7 | 80.0 | 50.0 | 46.2 |", File.ReadAllText(Path.Combine(results, TaxonomyFiles.MarkdownName)), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(results, "*.tmp"));
    }

    [Fact]
    public async Task Taxonomy_summary_command_prints_the_table_and_writes_the_files()
    {
        var results = TaxonomyRuns.Write(_dir.Path);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var code = await HierReasonCli.RunAsync(["taxonomy-summary", results], stdout, stderr);

        Assert.True(code == 0, stdout + "\n" + stderr);
        Assert.Contains("| chain_sum | qwen-taxonomy | taxonomy | taxonomy scripted, level 0, reasoner scripted | 5 | 60.0 [20.5, 89.7] | 1.80 | 80.0 | 20.0 | 7.7 | 0.182 (4) | +40.0 ± 24.5 (qwen) | no |",
            stdout.ToString(), StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(results, TaxonomyFiles.HeatmapPngName)).Length > 0);
        Assert.True(File.Exists(Path.Combine(results, TaxonomyFiles.JsonName)));
    }

    private static void AssertShares(double[] expected, IReadOnlyList<TypeShare> shares) =>
        Assert.Equal(expected, shares.Select(s => s.Share), (a, b) => Math.Abs(a - b) < 1e-12);
}
