using System.Diagnostics;
using System.Runtime.Versioning;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace HierReason.Harness.Tests.Browser;

/// <summary>
/// Proves the browser harness on a tiny static page (a table and a filter button with inline JS) before
/// the HTML report's own tests use it: file:// pages open, clicks run their scripts, console and page
/// errors are caught, requests that leave the machine are blocked and reported, screenshots are PNGs.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class BrowserHarnessTests(ChromiumFixture chromium, ITestOutputHelper output) : IDisposable
{
    private const string FilterPage = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Sample report</title>
        <style>table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 4px 8px; }</style>
        </head>
        <body>
          <h1>Sample report</h1>
          <button id="only-failed" type="button">Only failed</button>
          <table id="results">
            <thead><tr><th>task</th><th>status</th></tr></thead>
            <tbody>
              <tr data-status="pass"><td>countdown</td><td>pass</td></tr>
              <tr data-status="fail"><td>leg_counting</td><td>fail</td></tr>
              <tr data-status="pass"><td>basic_arithmetic</td><td>pass</td></tr>
              <tr data-status="fail"><td>multi_hop_lookup</td><td>fail</td></tr>
            </tbody>
          </table>
          <script>
            document.getElementById('only-failed').addEventListener('click', () => {
              for (const row of document.querySelectorAll('#results tbody tr'))
                row.hidden = row.dataset.status !== 'fail';
            });
          </script>
        </body>
        </html>
        """;

    private readonly TempDir _temp = new();

    [Fact]
    public async Task A_file_page_filters_its_rows_on_click_without_errors()
    {
        var path = _temp.Write("report.html", FilterPage);
        await using var page = await chromium.NewPageAsync();
        await page.GotoFileAsync(path);

        var visibleRows = page.Page.Locator("#results tbody tr:visible");
        Assert.Equal(4, await visibleRows.CountAsync());

        await page.Page.ClickAsync("#only-failed");
        Assert.Equal(2, await visibleRows.CountAsync());
        Assert.Equal(["leg_counting", "multi_hop_lookup"], await visibleRows.Locator("td:first-child").AllTextContentsAsync());

        await page.AssertNoProblemsAsync();
    }

    [Fact]
    public async Task A_page_loading_an_external_script_is_caught_as_a_blocked_request()
    {
        var path = _temp.Write("external.html", """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><script src="https://cdn.example.com/chart.js"></script></head>
            <body><p>needs the network</p></body></html>
            """);
        await using var page = await chromium.NewPageAsync();
        await page.GotoFileAsync(path);
        await page.SettleAsync();

        Assert.Equal(["https://cdn.example.com/chart.js"], page.BlockedRequests);
        var failure = await Assert.ThrowsAsync<FailException>(page.AssertNoProblemsAsync);
        Assert.Contains("blocked request: https://cdn.example.com/chart.js", failure.Message);
    }

    [Fact]
    public async Task Local_scripts_styles_and_data_urls_next_to_the_page_are_allowed()
    {
        _temp.Write(Path.Combine("assets", "filter.js"), "document.body.dataset.loaded = 'yes';");
        _temp.Write(Path.Combine("assets", "style.css"), "body { color: rgb(1, 2, 3); }");
        var path = _temp.Write("split.html", """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><link rel="stylesheet" href="assets/style.css">
            <link rel="icon" href="data:,"></head>
            <body><img alt="dot" src="data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==">
            <script src="assets/filter.js"></script></body></html>
            """);
        await using var page = await chromium.NewPageAsync();
        await page.GotoFileAsync(path);

        Assert.Equal("yes", await page.Page.EvaluateAsync<string>("() => document.body.dataset.loaded"));
        Assert.Equal("rgb(1, 2, 3)", await page.Page.EvaluateAsync<string>("() => getComputedStyle(document.body).color"));
        await page.AssertNoProblemsAsync();
    }

    [Fact]
    public async Task Console_errors_warnings_and_uncaught_exceptions_are_recorded()
    {
        var path = _temp.Write("broken.html", """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"></head><body>
            <script>console.warn('legend missing'); console.error('bad cell', 3); console.log('fine');</script>
            <script>undefinedFunction();</script>
            </body></html>
            """);
        await using var page = await chromium.NewPageAsync();
        await page.GotoFileAsync(path);
        await page.SettleAsync();

        Assert.Collection(page.ConsoleProblems,
            warning => Assert.StartsWith("console.warning: legend missing", warning),
            error => Assert.StartsWith("console.error: bad cell 3", error));
        var pageError = Assert.Single(page.PageErrors);
        Assert.Contains("undefinedFunction is not defined", pageError);
        Assert.Empty(page.BlockedRequests);
    }

    [Fact]
    public async Task A_screenshot_is_written_as_a_png()
    {
        var path = _temp.Write("report.html", FilterPage);
        var png = _temp.Combine("shots", "report.png");
        await using var page = await chromium.NewPageAsync();
        await page.GotoFileAsync(path);
        await page.Page.ScreenshotAsync(new() { Path = png, FullPage = true });

        var bytes = await File.ReadAllBytesAsync(png);
        Assert.True(bytes.Length > 1000, $"screenshot is only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        await page.AssertNoProblemsAsync();
    }

    /// <summary>The cost a test class pays: one launch per collection, then a context + page per test.</summary>
    [Fact]
    public async Task Reports_the_launch_and_page_cost()
    {
        var path = _temp.Write("report.html", FilterPage);
        var watch = Stopwatch.StartNew();
        await using (var page = await chromium.NewPageAsync())
        {
            await page.GotoFileAsync(path);
            await page.AssertNoProblemsAsync();
        }
        output.WriteLine($"chromium {chromium.ExecutablePath}: driver + launch {chromium.LaunchTime.TotalMilliseconds:F0} ms; "
            + $"new context + page + open file + close {watch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(chromium.LaunchTime > TimeSpan.Zero);
    }

    public void Dispose() => _temp.Dispose();
}

/// <summary>How the fixture finds Chromium and what it says when it cannot (no browser needed).</summary>
[UnsupportedOSPlatform("windows")]
public sealed class ChromiumLocatorTests : IDisposable
{
    private readonly TempDir _temp = new();

    [Fact]
    public void Missing_chromium_names_the_setup_script()
    {
        var found = ChromiumFixture.FindChromium(null, [_temp.Combine("no-chromium")], _temp.Path, out var reason);
        Assert.Null(found);
        Assert.Contains("build/setup-chromium.sh", reason);
        Assert.Contains(ChromiumFixture.EnvironmentVariable, reason);
    }

    [Fact]
    public void The_environment_variable_wins_and_must_be_executable()
    {
        var fake = _temp.Write("my-chrome", "#!/bin/sh\n");
        Assert.Null(ChromiumFixture.FindChromium(fake, [], null, out var reason));
        Assert.Contains("not an executable", reason);

        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Equal(fake, ChromiumFixture.FindChromium(fake, ["/usr/bin/chromium"], null, out _));
    }

    [Fact]
    public void Path_is_searched_for_chromium_browser()
    {
        var exe = _temp.Write(Path.Combine("bin", "chromium-browser"), "#!/bin/sh\n");
        File.SetUnixFileMode(exe, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Assert.Equal(exe, ChromiumFixture.FindChromium("", [_temp.Combine("absent")], _temp.Combine("bin"), out _));
    }

    public void Dispose() => _temp.Dispose();
}
