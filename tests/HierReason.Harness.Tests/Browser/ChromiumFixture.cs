using System.Diagnostics;
using Microsoft.Playwright;

namespace HierReason.Harness.Tests.Browser;

/// <summary>
/// One headless Chromium per test collection, driven by Playwright through the system browser
/// (<see cref="FindChromium"/>): Playwright cannot download browsers on a closed network, and with
/// <c>ExecutablePath</c> it needs none, only its driver (node + package, copied from the NuGet package
/// into bin/.playwright). Missing Chromium is a failure, not a skip: CI installs it
/// (build/setup-chromium.sh, run by the Test target).
/// <para>
/// Each <see cref="NewPageAsync"/> opens a fresh browser context (own cookies, storage, cache) whose page
/// records console errors and warnings, uncaught page errors, and every request that is not file:, data:
/// or blob: (aborted: a page under test must be self-contained). Usage:
/// <code>
/// [Collection(BrowserCollection.Name)]
/// public sealed class MyTests(ChromiumFixture chromium)
/// {
///     [Fact, Trait("Category", "Browser")]
///     public async Task Opens()
///     {
///         await using var page = await chromium.NewPageAsync();
///         await page.GotoFileAsync("/tmp/x/report.html");
///         await page.Page.ClickAsync("#filter");
///         await page.AssertNoProblemsAsync();   // console errors/warnings, page errors, blocked requests
///     }
/// }
/// </code>
/// </para>
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    /// <summary>Overrides where Chromium is looked for (an executable path).</summary>
    public const string EnvironmentVariable = "HIERREASON_CHROMIUM";

    /// <summary>
    /// The flags known to work as root on the closed-network machines. Without the background-networking
    /// ones Chromium keeps trying to reach Google's services. Even with them Chromium 156 still resolves
    /// accounts.google.com and update.googleapis.com (seen with strace: DNS queries every few seconds), so
    /// the host resolver answers "not found" for every name without asking DNS: the pages under test are
    /// files, and their other requests are aborted before any lookup anyway. Playwright adds its own
    /// (a fresh temporary user-data-dir per launch, --no-sandbox with <c>ChromiumSandbox = false</c>, pipes
    /// instead of a debugging port).
    /// </summary>
    public static readonly IReadOnlyList<string> LaunchArguments =
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _failure;

    /// <summary>The Chromium executable the browser was launched from (null when none was found).</summary>
    public string? ExecutablePath { get; private set; }

    /// <summary>Wall-clock time of starting the Playwright driver and launching Chromium.</summary>
    public TimeSpan LaunchTime { get; private set; }

    /// <summary>The shared browser; throws with the reason when Chromium is missing or failed to start.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException(_failure ?? "ChromiumFixture is not initialised");

    public async Task InitializeAsync()
    {
        ExecutablePath = FindChromium(out var notFound);
        if (ExecutablePath is null)
        {
            _failure = notFound;
            return;
        }
        var watch = Stopwatch.StartNew();
        try
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                ChromiumSandbox = false,
                Args = LaunchArguments,
                Timeout = 120_000,
            });
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or InvalidOperationException or IOException)
        {
            _failure = $"Chromium at {ExecutablePath} did not start through Playwright: {e.Message}";
        }
        LaunchTime = watch.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }

    /// <summary>A fresh context and page that records errors and blocks the network; dispose it when done.</summary>
    public async Task<BrowserPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ServiceWorkers = ServiceWorkerPolicy.Block,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        try
        {
            return await BrowserPage.OpenAsync(context);
        }
        catch
        {
            await context.CloseAsync();
            throw;
        }
    }

    /// <summary>
    /// $HIERREASON_CHROMIUM (must be executable when set), else /usr/bin/chromium, else chromium or
    /// chromium-browser on PATH; null with the reason (and the fix) when none is there.
    /// </summary>
    public static string? FindChromium(out string reason) =>
        FindChromium(Environment.GetEnvironmentVariable(EnvironmentVariable), ["/usr/bin/chromium", "/usr/bin/google-chrome"],
            Environment.GetEnvironmentVariable("PATH"), out reason);

    /// <summary><see cref="FindChromium(out string)"/> with its inputs given (for tests).</summary>
    internal static string? FindChromium(string? fromEnvironment, IEnumerable<string> fixedPaths, string? pathVariable, out string reason)
    {
        reason = "";
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            if (IsExecutable(fromEnvironment)) return fromEnvironment;
            reason = $"{EnvironmentVariable}={fromEnvironment} is not an executable file: unset it (build/setup-chromium.sh "
                + "installs /usr/bin/chromium), or point it at a Chromium/Chrome executable.";
            return null;
        }
        foreach (var candidate in fixedPaths)
            if (IsExecutable(candidate)) return candidate;
        foreach (var name in new[] { "chromium", "chromium-browser" })
        foreach (var folder in (pathVariable ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (IsExecutable(candidate)) return candidate;
        }
        reason = "Chromium is not installed, and the browser tests need it: run build/setup-chromium.sh "
            + "(as root on Debian/Ubuntu; the Test target runs it) or set "
            + $"{EnvironmentVariable}=/path/to/chromium. Looked for ${EnvironmentVariable}, "
            + string.Join(", ", fixedPaths) + ", chromium and chromium-browser on PATH.";
        return null;
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path)) return false;
        if (OperatingSystem.IsWindows()) return true;
        return (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}

/// <summary>The browser tests share one Chromium (one launch per test run of this collection).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "browser";
}
