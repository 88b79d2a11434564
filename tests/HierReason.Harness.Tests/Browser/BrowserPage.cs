using Microsoft.Playwright;

namespace HierReason.Harness.Tests.Browser;

/// <summary>
/// A page in its own browser context (from <see cref="ChromiumFixture.NewPageAsync"/>) that records what a
/// self-contained, error-free page must not produce: console errors and warnings, uncaught page errors
/// (pageerror), crashes, and requests to anything but file:, data:, blob: or about: URLs, which are
/// aborted (WebSockets too). <see cref="Problems"/> lists them all; <see cref="AssertNoProblemsAsync"/>
/// fails the test with the list.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private static readonly string[] AllowedSchemes = ["file:", "data:", "blob:", "about:"];

    private readonly Lock _gate = new();
    private readonly List<string> _console = [];
    private readonly List<string> _pageErrors = [];
    private readonly List<string> _blocked = [];

    private BrowserPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
    }

    /// <summary>The Playwright page: locators, clicks, evaluate, screenshots.</summary>
    public IPage Page { get; }

    public IBrowserContext Context { get; }

    /// <summary>"console.error: text (url:line)" / "console.warning: …", in arrival order.</summary>
    public IReadOnlyList<string> ConsoleProblems { get { lock (_gate) return [.. _console]; } }

    /// <summary>Uncaught exceptions and crashes: "pageerror: message".</summary>
    public IReadOnlyList<string> PageErrors { get { lock (_gate) return [.. _pageErrors]; } }

    /// <summary>The URLs of the requests that were aborted because they would leave the machine.</summary>
    public IReadOnlyList<string> BlockedRequests { get { lock (_gate) return [.. _blocked]; } }

    /// <summary>Everything above, one line each ("blocked request: url" for the requests).</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_gate) return [.. _pageErrors, .. _console, .. _blocked.Select(url => "blocked request: " + url)];
        }
    }

    internal static async Task<BrowserPage> OpenAsync(IBrowserContext context)
    {
        BrowserPage? self = null;
        // Routes are set on the context before the page exists, so even the first navigation's
        // subresources are checked.
        await context.RouteAsync("**", async route =>
        {
            var url = route.Request.Url;
            if (AllowedSchemes.Any(scheme => url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)))
            {
                await route.ContinueAsync();
                return;
            }
            self?.Record(self._blocked, url);
            await route.AbortAsync("blockedbyclient");
        });
        await context.RouteWebSocketAsync("**", socket =>
        {
            self?.Record(self._blocked, socket.Url);
            _ = socket.CloseAsync();
        });
        var page = await context.NewPageAsync();
        self = new BrowserPage(context, page);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
                self.Record(self._console, $"console.{message.Type}: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => self.Record(self._pageErrors, "pageerror: " + error);
        page.Crash += (_, _) => self.Record(self._pageErrors, "page crashed");
        return self;
    }

    /// <summary>The file:// URL of a local file (absolute or relative to the current directory).</summary>
    public static string FileUrl(string path) => new Uri(Path.GetFullPath(path)).AbsoluteUri;

    /// <summary>Opens a local file and waits for its load event.</summary>
    public Task<IResponse?> GotoFileAsync(string path) =>
        Page.GotoAsync(FileUrl(path), new PageGotoOptions { WaitUntil = WaitUntilState.Load });

    /// <summary>
    /// A round trip to the page, so the console and error events it sent before are in the lists
    /// (Playwright delivers a page's events in order, before the reply).
    /// </summary>
    public async Task SettleAsync() => await Page.EvaluateAsync("() => 0");

    /// <summary>Fails with every recorded problem, after <see cref="SettleAsync"/>.</summary>
    public async Task AssertNoProblemsAsync()
    {
        await SettleAsync();
        var problems = Problems;
        if (problems.Count > 0)
            Assert.Fail($"the page ({Page.Url}) reported {problems.Count} problem(s):\n  " + string.Join("\n  ", problems));
    }

    private void Record(List<string> list, string line)
    {
        lock (_gate) list.Add(line);
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
