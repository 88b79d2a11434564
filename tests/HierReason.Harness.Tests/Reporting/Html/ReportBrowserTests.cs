using System.Globalization;
using HierReason.Cli;
using HierReason.Core.Runs;
using HierReason.Harness.Reporting;
using HierReason.Harness.Reporting.Html;
using HierReason.Harness.Tests.Browser;
using HierReason.Harness.Tests.Running;
using Microsoft.Playwright;

namespace HierReason.Harness.Tests.Reporting.Html;

/// <summary>
/// <c>hierreason report</c>'s page in a real headless Chromium: the matrix shows the results file's numbers, a click on a
/// cell lists that row's failing samples, the filters and the search select the right samples, a click on a sample opens
/// its episode, and the page runs without a console error or a request leaving the machine.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ReportBrowserTests(ChromiumFixture chromium, WorkerFixture worker) : IClassFixture<WorkerFixture>
{
    /// <summary>Set to a path to keep the full-page screenshot (the README's picture is taken this way).</summary>
    public const string ScreenshotVariable = "HIERREASON_REPORT_SCREENSHOT";

    private static async Task<string> CellText(IPage page, string cell, string model) =>
        (await page.Locator($"#matrix td.acc[data-cell=\"{cell}\"][data-model=\"{model}\"] .acc-value").InnerTextAsync()).Trim();

    private static Task<int> VisibleSamples(ILocator section) => section.Locator("table.samples tbody tr").CountAsync();

    [Fact]
    public async Task From_the_matrix_to_a_rows_failing_samples_and_an_episode_in_two_clicks()
    {
        using var dir = new TempDir();
        var results = ReportRuns.Write(dir.Combine("now"), "run-0000000000b1");
        var baseline = ReportRuns.Write(dir.Combine("before"), "run-0000000000b0", flip: i => i <= 2, commit: "abcdef0123456789");
        var html = HtmlReport.Write(HtmlReport.Build(ReportedRun.Load(results), ReportedRun.Load(baseline)), dir.Combine("report"));
        var summary = ResultsFile.LoadSummary(ResultsFile.ResolveSummaryPath(results));

        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await browser.GotoFileAsync(html);

        // Every cell of the matrix is the results file's accuracy.
        Assert.Equal(summary.Rows.Count, await page.Locator("#matrix td.acc").CountAsync());
        foreach (var row in summary.Rows)
        {
            var td = page.Locator($"#matrix td.acc[data-cell=\"{row.Cell}\"][data-model=\"{row.Model}\"]");
            Assert.Equal(row.Accuracy, double.Parse((await td.GetAttributeAsync("data-accuracy"))!, CultureInfo.InvariantCulture), 12);
            Assert.Equal((row.Accuracy * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %", await CellText(page, row.Cell, row.Model));
        }
        Assert.Contains("Δ +12.5", await page.Locator("#matrix td.acc[data-cell=\"chain_sum\"][data-model=\"alpha\"] .delta").InnerTextAsync());

        // Click 1: chain_sum × alpha → its section, that model, failing samples only (4 of 8).
        await page.Locator("#matrix td.acc[data-cell=\"chain_sum\"][data-model=\"alpha\"]").ClickAsync();
        var section = page.Locator("section.task[data-cell=\"chain_sum\"]");
        await Assertions.Expect(section.Locator("button[data-filter=failing]")).ToHaveClassAsync("active");
        Assert.Equal(4, await VisibleSamples(section));
        Assert.Equal(0, await section.Locator("table.samples tbody tr[data-outcome=correct]").CountAsync());
        Assert.Equal("4 samples", await section.Locator(".count").InnerTextAsync());

        // The filters: wrong answer 2, format failure 2, truncated 1, correct 4; the search finds one question.
        foreach (var (filter, expected) in new[] { ("wrong", 2), ("format", 2), ("truncated", 1), ("correct", 4), ("all", 8) })
        {
            await section.Locator($"button[data-filter={filter}]").ClickAsync();
            Assert.Equal(expected, await VisibleSamples(section));
        }
        await section.Locator("input.search").FillAsync("40 + 40");
        Assert.Equal(1, await VisibleSamples(section));
        Assert.Contains("truncated", await section.Locator("table.samples tbody tr").InnerTextAsync());
        await section.Locator("input.search").FillAsync("");

        // Click 2: a failing sample opens with its question, gold, answer and whole output.
        await section.Locator("button[data-filter=wrong]").ClickAsync();
        await section.Locator("table.samples tbody tr").First.ClickAsync();
        var dialog = page.Locator("dialog#episode");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        Assert.Equal("What is 20 + 22?", await dialog.Locator(".question").InnerTextAsync());
        Assert.Equal("42", await dialog.Locator(".gold").InnerTextAsync());
        Assert.Equal("41", await dialog.Locator(".answer").InnerTextAsync());
        Assert.Contains("<answer>41</answer>", await dialog.Locator("pre.output").InnerTextAsync());
        await page.Locator("#episode-close").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();

        // A strategy's sample opens as its episode, actor by actor.
        await page.Locator("#matrix td.acc[data-cell=\"chain_sum\"][data-model=\"alpha-calc\"]").ClickAsync();
        await section.Locator("button[data-filter=all]").ClickAsync();
        await section.Locator("table.samples tbody tr").First.ClickAsync();
        Assert.Equal(["prompt", "policy", "calculator", "policy"], await dialog.Locator(".segment .actor").AllInnerTextsAsync()
            is var actors ? actors.Select(a => a.ToLowerInvariant()) : []);
        Assert.Contains("calls: 1", await dialog.InnerTextAsync());
        await page.Locator("#episode-close").ClickAsync();

        // A question that tries to close the script element is shown as text and runs nothing.
        Assert.False(await page.EvaluateAsync<bool>("() => window.injected === true"));
        // The run's configuration is on the page.
        Assert.Contains("run-0000000000b1", await page.Locator("#config-body").InnerTextAsync());

        var screenshot = Environment.GetEnvironmentVariable(ScreenshotVariable) is { Length: > 0 } keep ? keep : dir.Combine("report.png");
        // The top of the page: the run, the matrix with intervals and Δ, and the summary chart.
        await page.SetViewportSizeAsync(1280, 1000);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(screenshot).Take(4));
        await browser.AssertNoProblemsAsync();
    }

    [Fact]
    public async Task A_real_bench_run_of_a_tiny_model_reports_what_its_results_file_says()
    {
        var root = worker.Dir.Combine("report-e2e");
        var models = worker.Dir.Write("report-models.json", """
            { "models": [
                { "name": "tiny", "backend": "local", "path": "tiny", "generation": { "max_new_tokens": 12 } },
                { "name": "tiny-calc", "strategy": "calculator", "model": "tiny", "options": { "max_calls": 1 } }
            ] }
            """);
        var tasks = worker.Dir.Write("report-tasks.json", """{ "tasks": [ { "task": "leg_counting", "level": 0 } ], "defaults": { "n": 3 } }""");
        var results = Path.Combine(root, "results");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.True(await HierReasonCli.RunAsync(["bench", "--models-file", models, "--tasks-file", tasks, "--task-configs", RepoPaths.TaskConfigs,
            "--runs", Path.Combine(root, "runs"), "--output", results, "--threads", "1"], stdout, stderr) == 0, stdout + "\n" + stderr);
        Assert.True(await HierReasonCli.RunAsync(["report", results], stdout, stderr) == 0, stdout + "\n" + stderr);
        var html = Path.Combine(results, "report", HtmlReport.FileName);
        Assert.Contains($"wrote {html}", stdout.ToString());
        var summary = ResultsFile.LoadSummary(ResultsFile.ResolveSummaryPath(results));
        var run = RunLayout.At(Directory.GetDirectories(Path.Combine(root, "runs"), "run-*").Single());

        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await browser.GotoFileAsync(html);
        foreach (var row in summary.Rows)
            Assert.Equal((row.Accuracy * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %", await CellText(page, row.Cell, row.Model));

        // The calculator row: all 3 samples, and the first one's episode is its sample line's segments.
        await page.Locator("#matrix td.acc[data-model=\"tiny-calc\"]").ClickAsync();
        var section = page.Locator("section.task").First;
        await section.Locator("button[data-filter=all]").ClickAsync();
        Assert.Equal(3, await VisibleSamples(section));
        await section.Locator("table.samples tbody tr").First.ClickAsync();
        var key = summary.Rows.Single(r => r.Model == "tiny-calc").JobKeys!.Single();
        var first = File.ReadLines(run.SamplesPath(key)).First();
        var line = System.Text.Json.JsonSerializer.Deserialize<Core.Results.SampleRecord>(first, Core.Json.HierJson.Options)!;
        var dialog = page.Locator("dialog#episode");
        Assert.Equal(line.Question, await dialog.Locator(".question").InnerTextAsync());
        Assert.Equal(line.Gold, await dialog.Locator(".gold").InnerTextAsync());
        Assert.Equal(line.Segments!.Count, await dialog.Locator(".segment").CountAsync());
        await browser.AssertNoProblemsAsync();
    }
}
