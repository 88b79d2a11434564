using System.Text.Json;
using System.Text.RegularExpressions;
using HierReason.Core.Results;
using HierReason.Harness.Reporting;
using HierReason.Harness.Reporting.Html;

namespace HierReason.Harness.Tests.Reporting.Html;

/// <summary>What <c>hierreason report</c> puts into its page, read back from the data it embeds (the browser tests click through it).</summary>
public sealed class HtmlReportTests
{
    private static ReportData Data(string html)
    {
        var match = Regex.Match(html, "<script type=\"application/json\" id=\"report-data\">(.*?)</script>", RegexOptions.Singleline);
        Assert.True(match.Success, "the page has no data element");
        return JsonSerializer.Deserialize<ReportData>(match.Groups[1].Value, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
    }

    [Fact]
    public void Rows_carry_the_results_numbers_and_their_intervals_and_every_sample_its_question_gold_and_answer()
    {
        using var dir = new TempDir();
        var results = ReportRuns.Write(dir.Path, "run-000000000001");
        var run = ReportedRun.Load(results);
        Assert.NotNull(run.Run); // found beside the results folder: <root>/runs/<run id>

        var data = Data(HtmlReport.Render(HtmlReport.Build(run)));

        Assert.Equal(run.Summary.Rows.Select(r => (r.Cell, r.Model, r.Accuracy, r.N)), data.Rows.Select(r => (r.Cell, r.Model, r.Accuracy, r.N)));
        Assert.Equal(run.Summary.Rows.Select(r => (r.CiLow!.Value, r.CiHigh!.Value)), data.Rows.Select(r => (r.CiLow, r.CiHigh)));
        var chain = data.Rows.Single(r => r.Cell == "chain_sum" && r.Model == "alpha");
        Assert.Equal(4 / 8.0, chain.Accuracy);
        Assert.Equal(ProportionInterval.Of(0.5, run.Summary.Rows[0].StdErr, 8, 8).Low, chain.CiLow, 12);
        Assert.Equal(2 * (8 + 4), data.Samples.Count); // 2 models × (8 + 4 items)
        var scripted = data.Samples.Single(s => s.Row == chain.Index && s.Question == ReportRuns.Script);
        Assert.Equal(("8", "8", 1.0), (scripted.Gold, scripted.Answer, scripted.Score));
        Assert.Equal("<|im_start|>user\n" + ReportRuns.Script, data.Prompts[scripted.PromptHash]);
        var truncated = data.Samples.Single(s => s.Row == chain.Index && s.Finish == "length");
        Assert.False(truncated.FormatOk);
        Assert.Null(truncated.Answer);
        // The calculator row's samples carry their episodes, actor by actor.
        var calc = data.Rows.Single(r => r.Cell == "chain_sum" && r.Model == "alpha-calc");
        Assert.Equal(["prompt", "policy", "calculator", "policy"], data.Samples.First(s => s.Row == calc.Index).Segments!.Select(s => s.Actor));
        // Rows name their jobs, and the job settings come with them (without this machine's paths).
        Assert.Equal(["run-000000000001-chain_sum-alpha"], chain.JobKeys);
        Assert.Equal("chain_sum", (string?)chain.Config!["task"]);
        Assert.False(chain.Config.ContainsKey("samples_path"));
        Assert.Contains("chain_sum", data.Charts.Keys);
    }

    [Fact]
    public void A_question_closing_the_script_element_stays_inside_the_data()
    {
        using var dir = new TempDir();
        var html = HtmlReport.Render(HtmlReport.Build(ReportedRun.Load(ReportRuns.Write(dir.Path, "run-000000000002"))));

        // Exactly the page's own two script elements close; the question's "</script>" is escaped inside the JSON.
        Assert.Equal(2, Regex.Matches(html, "</script>", RegexOptions.IgnoreCase).Count);
        var embedded = Regex.Match(html, "id=\"report-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        Assert.DoesNotContain("<", embedded);
        Assert.Contains(Data(html).Samples, s => s.Question == ReportRuns.Script);
    }

    [Fact]
    public void Repeated_questions_are_noted_with_their_distinct_count()
    {
        using var dir = new TempDir();
        var data = HtmlReport.Build(ReportedRun.Load(ReportRuns.Write(dir.Path, "run-000000000003")));

        var leg = data.Rows.Single(r => r.Cell == "leg_counting (level 1)" && r.Model == "alpha");
        Assert.Equal((4, 3L), (leg.N, leg.Questions!.Value));
        Assert.Contains("leg_counting (level 1) × alpha: n = 4 samples of only 3 distinct questions; its interval uses the effective n, not 4.", data.Notes);
    }

    [Fact]
    public void Against_a_baseline_run_the_delta_is_paired_on_shared_items_with_McNemars_exact_test()
    {
        using var dir = new TempDir();
        var current = ReportedRun.Load(ReportRuns.Write(dir.Combine("now"), "run-00000000000a"));
        // The baseline had items 0 and 1 wrong (the current run right) and item 2 right (the current run wrong).
        var baseline = ReportedRun.Load(ReportRuns.Write(dir.Combine("before"), "run-00000000000b", flip: i => i <= 2, commit: "abcdef0123456789"));

        var data = HtmlReport.Build(current, baseline);

        Assert.Equal("run", data.Baseline!.Kind);
        Assert.Contains("abcdef0", data.Baseline.Label);
        var chain = data.Rows.Single(r => r.Cell == "chain_sum" && r.Model == "alpha");
        var paired = chain.Delta!.Paired!;
        Assert.Equal((8, 2, 1), (paired.N, paired.OnlyA, paired.OnlyB));
        Assert.Equal(1 / 8.0, paired.Delta, 12);
        Assert.Equal(PairedComparison.McNemarExact(2, 1), paired.PValue, 12);
        Assert.Equal(12.5, chain.Delta.Points, 9);
        // Rows the flip did not touch: paired, nothing discordant.
        var calc = data.Rows.Single(r => r.Cell == "chain_sum" && r.Model == "alpha-calc");
        Assert.Equal((0, 0, 1.0), (calc.Delta!.Paired!.OnlyA, calc.Delta.Paired.OnlyB, calc.Delta.Paired.PValue));
    }

    [Fact]
    public void Without_its_run_folder_the_report_says_so_and_still_shows_the_rows()
    {
        using var dir = new TempDir();
        var results = ReportRuns.Write(dir.Path, "run-000000000004");
        Directory.Delete(dir.Combine("runs"), recursive: true);

        var data = HtmlReport.Build(ReportedRun.Load(results));

        Assert.Equal(4, data.Rows.Count);
        Assert.Empty(data.Samples);
        Assert.Contains(data.Notes, n => n.Contains("run folder of run-000000000004 was not found", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(5, 0, 0.0625)]            // 2 · ½⁵
    [InlineData(3, 3, 1.0)]
    [InlineData(10, 2, 158 / 4096.0)]     // 2 · (1 + 12 + 66) / 2¹²
    [InlineData(0, 0, 1.0)]
    public void McNemars_exact_p_value_is_the_two_sided_binomial_tail(int b, int c, double expected) =>
        Assert.Equal(expected, PairedComparison.McNemarExact(b, c), 12);

    [Fact]
    public void A_paired_comparison_gives_the_mean_difference_and_the_standard_error_of_the_differences()
    {
        var result = PairedComparison.Of([(1, 0), (1, 0), (0, 1), (1, 1), (0, 0)]);
        // Differences 1, 1, −1, 0, 0: mean 0.2, sample variance (0.64·2 + 1.44 + 0.04·2) / 4 = 0.7.
        Assert.Equal((5, 2, 1), (result.N, result.OnlyA, result.OnlyB));
        Assert.Equal(0.2, result.Delta, 12);
        Assert.Equal(Math.Sqrt(0.7 / 5), result.StdErr, 12);
    }
}
