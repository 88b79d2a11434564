using System.Text.Json;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Cli.Tests.Publishing;

/// <summary>
/// <c>hierreason publish</c> against a real loopback HTTP server standing in for the GitHub API. The command reads
/// GITHUB_* from the process environment, so this class sets them and restores them afterwards.
/// </summary>
public sealed class PublishCommandTests : IDisposable
{
    private const string Token = "ghs_testTOKENvalue0123456789abcdefABCDEF";
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";
    private const string HeadSha = "89abcdef0123456789abcdef0123456789abcdef";
    private static readonly string[] Variables =
        ["GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_EVENT_PATH", "GITHUB_REF", "GITHUB_API_URL", "GITHUB_SERVER_URL", "GITHUB_RUN_ID"];

    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("hr-publish-");
    private readonly FakeGitHubApi _api = new();

    public PublishCommandTests()
    {
        foreach (var v in Variables) Environment.SetEnvironmentVariable(v, null);
        Environment.SetEnvironmentVariable("GITHUB_TOKEN", Token);
        Environment.SetEnvironmentVariable("GITHUB_REPOSITORY", "acme/bench");
        Environment.SetEnvironmentVariable("GITHUB_SHA", Sha);
        Environment.SetEnvironmentVariable("GITHUB_API_URL", _api.BaseUrl);
        Results = Path.Combine(_temp.FullName, "results");
        Directory.CreateDirectory(Results);
        File.WriteAllText(Path.Combine(Results, "summary.md"), "| task | tiny-sft |\n|---|---:|\n| leg_counting | 41.0 ± 2.2 |\n");
        File.WriteAllText(Path.Combine(Results, "results_all_tasks_20261123-120000.json"), JsonSerializer.Serialize(Summary(), HierJson.Indented));
    }

    private string Results { get; }

    private static BenchmarkSummary Summary() => new(
        BenchmarkSummary.CurrentSchema,
        new RunMetadata("run-1", "20261123-120000", DateTimeOffset.Parse("2026-11-23T12:00:00Z"), 12.5, Sha, "linux", ["cpu:0"],
            new Dictionary<string, string> { ["HierReason"] = "0.1.0" }),
        ["leg_counting"], ["tiny-sft"],
        [new ScoreRow("leg_counting", "tiny-sft", 0.41, 0.022, 500, 0.98, 31.5, 1, 0)],
        [new ModelAverage("tiny-sft", 0.41, 0.022, 1)]);

    private void WriteVerification(bool passed) => File.WriteAllText(Path.Combine(Results, "verification.json"), JsonSerializer.Serialize(
        new VerificationReport(passed, "tests/approved/benchmark.json", "results_all_tasks_20261123-120000.json", 2.0, 2.0,
            [new VerificationFinding("leg_counting", "tiny-sft", passed ? "ok" : "dropped", 0.52, 0.41, "dropped 11.0 points")]),
        HierJson.Indented));

    private Task<CliRun> Publish(params string[] extra) => CliRun.Of(["publish", Results, .. extra]);

    private static void AssertNoToken(CliRun run)
    {
        Assert.DoesNotContain(Token, run.Out);
        Assert.DoesNotContain(Token, run.Err);
    }

    [Fact]
    public async Task A_push_run_creates_one_neutral_check_run_when_not_verified()
    {
        var run = await Publish();
        Assert.True(run.ExitCode == 0, run.Err);
        AssertNoToken(run);
        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.EndsWith("/repos/acme/bench/check-runs", request.Path);
        Assert.NotNull(request.Authorization);
        Assert.Contains(Token, request.Authorization);
        var body = request.Json;
        Assert.Equal("HierReason benchmark", (string)body["name"]!);
        Assert.Equal(Sha, (string)body["head_sha"]!);
        Assert.Equal("completed", (string)body["status"]!);
        Assert.Equal("neutral", (string)body["conclusion"]!);
        Assert.Equal("1 tasks × 1 models: not verified", (string)body["output"]!["title"]!);
        var summary = (string)body["output"]!["summary"]!;
        Assert.Contains("| leg_counting | 41.0 ± 2.2 |", summary);
        Assert.Contains("not run (no verification.json", summary);
        Assert.Contains("check run 4242 on acme/bench@0123456: neutral", run.Out);
    }

    [Fact]
    public async Task A_pull_request_run_comments_once_with_the_marker_and_fails_the_check_when_verification_failed()
    {
        WriteVerification(passed: false);
        Environment.SetEnvironmentVariable("GITHUB_REF", "refs/pull/12/merge");
        _api.Comments.Add((100, "Looks good to me"));
        var run = await Publish();
        Assert.True(run.ExitCode == 0, run.Err);
        AssertNoToken(run);
        var calls = _api.Requests.Select(r => $"{r.Method} {r.Path[r.Path.IndexOf("/repos/", StringComparison.Ordinal)..]}").ToList();
        Assert.Equal(["POST /repos/acme/bench/check-runs", "GET /repos/acme/bench/issues/12/comments", "POST /repos/acme/bench/issues/12/comments"], calls);
        var check = _api.Requests[0].Json;
        Assert.Equal("failure", (string)check["conclusion"]!);
        Assert.Contains("verification failed (1 dropped)", (string)check["output"]!["title"]!);
        var comment = (string)_api.Requests[2].Json["body"]!;
        Assert.StartsWith("<!-- hierreason-benchmark -->\n## HierReason benchmark: ", comment);
        Assert.Contains("| leg_counting | 41.0 ± 2.2 |", comment);
        Assert.Contains("| leg_counting | tiny-sft | dropped | 52.0% | 41.0% |", comment);
        Assert.All(_api.Requests, r => Assert.Contains(Token, r.Authorization));
        Assert.Contains("pull request #12: comment 777 created", run.Out);
    }

    [Fact]
    public async Task A_rerun_updates_its_earlier_comment_in_place_instead_of_adding_one()
    {
        WriteVerification(passed: true);
        var eventFile = Path.Combine(_temp.FullName, "event.json");
        File.WriteAllText(eventFile, new System.Text.Json.Nodes.JsonObject
        {
            ["action"] = "synchronize",
            ["pull_request"] = new System.Text.Json.Nodes.JsonObject { ["number"] = 7, ["head"] = new System.Text.Json.Nodes.JsonObject { ["sha"] = HeadSha } },
        }.ToJsonString());
        Environment.SetEnvironmentVariable("GITHUB_EVENT_PATH", eventFile);
        _api.Comments.Add((100, "unrelated"));
        _api.Comments.Add((555, "<!-- hierreason-benchmark -->\n## HierReason benchmark: old table"));
        var run = await Publish();
        Assert.True(run.ExitCode == 0, run.Err);
        var requests = _api.Requests;
        Assert.Equal(["POST", "GET", "PATCH"], requests.Select(r => r.Method));
        Assert.EndsWith("/repos/acme/bench/issues/7/comments", requests[1].Path);
        Assert.EndsWith("/repos/acme/bench/issues/comments/555", requests[2].Path);
        Assert.StartsWith("<!-- hierreason-benchmark -->", (string)requests[2].Json["body"]!);
        // The check run goes on the pull request's head commit, not on the merge commit in GITHUB_SHA.
        Assert.Equal(HeadSha, (string)requests[0].Json["head_sha"]!);
        Assert.Equal("success", (string)requests[0].Json["conclusion"]!);
        Assert.Contains("pull request #7: comment 555 updated", run.Out);
    }

    [Fact]
    public async Task Options_override_the_environment()
    {
        var run = await Publish("--owner", "other", "--repo", "place", "--sha", HeadSha, "--pr", "3");
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.EndsWith("/repos/other/place/check-runs", _api.Requests[0].Path);
        Assert.Equal(HeadSha, (string)_api.Requests[0].Json["head_sha"]!);
        Assert.EndsWith("/repos/other/place/issues/3/comments", _api.Requests[2].Path);
    }

    [Fact]
    public async Task A_rejected_token_exits_2_with_a_clear_message_and_never_prints_the_token()
    {
        _api.Respond = _ => (401, $$"""{"message": "Bad credentials for {{Token}}", "documentation_url": "https://docs.github.com/rest"}""");
        var run = await Publish();
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: GitHub rejected the token (401) while creating the check run", run.Err);
        Assert.Contains("GITHUB_TOKEN", run.Err);
        AssertNoToken(run);
        Assert.Single(_api.Requests);
    }

    [Fact]
    public async Task Other_api_errors_exit_2_without_the_token_even_when_the_server_echoes_it()
    {
        _api.Respond = r => r.Method == "POST" ? (422, $$"""{"message": "Validation Failed: {{Token}}"}""") : null;
        var run = await Publish();
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("GitHub answered 422 while creating the check run", run.Err);
        AssertNoToken(run);
    }

    [Fact]
    public async Task A_summary_over_githubs_limit_is_truncated_with_a_note()
    {
        var row = "| leg_counting | 41.0 ± 2.2 |\n";
        File.WriteAllText(Path.Combine(Results, "summary.md"), string.Concat(Enumerable.Repeat(row, 100_000 / row.Length + 1)));
        Environment.SetEnvironmentVariable("GITHUB_REF", "refs/pull/5/merge");
        var run = await Publish();
        Assert.True(run.ExitCode == 0, run.Err);
        var summary = (string)_api.Requests[0].Json["output"]!["summary"]!;
        var comment = (string)_api.Requests[2].Json["body"]!;
        Assert.InRange(summary.Length, 65_000, 65_535);
        Assert.InRange(comment.Length, 65_000, 65_536);
        Assert.EndsWith(" characters) is summary.md in the results folder.*", summary);
        Assert.EndsWith(" characters) is summary.md in the results folder.*", comment);
        Assert.Contains("*Truncated: GitHub allows 65,535 characters here;", summary);
        Assert.Contains("*Truncated: GitHub allows 65,536 characters here;", comment);
        Assert.StartsWith("<!-- hierreason-benchmark -->", comment);
    }

    [Fact]
    public async Task Without_a_token_publish_exits_2_or_0_with_if_token_and_calls_nothing()
    {
        Environment.SetEnvironmentVariable("GITHUB_TOKEN", null);
        var strict = await Publish();
        var lenient = await Publish("--if-token");
        Assert.Equal(2, strict.ExitCode);
        Assert.StartsWith("error: GITHUB_TOKEN is not set: nothing was published", strict.Err);
        Assert.Equal(0, lenient.ExitCode);
        Assert.StartsWith("GITHUB_TOKEN is not set: nothing was published", lenient.Out);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task A_folder_without_results_exits_2_naming_it()
    {
        var empty = Path.Combine(_temp.FullName, "empty");
        Directory.CreateDirectory(empty);
        var run = await CliRun.Of("publish", empty);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"results folder {empty}: neither summary.md nor results_all_tasks_*.json", run.Err);
        Assert.Empty(_api.Requests);
    }

    /// <summary>Accepts the folder's results as the snapshot, then verifies them: a verification.json as the pipeline writes it.</summary>
    private async Task<string> VerifyResults()
    {
        var approved = Path.Combine(_temp.FullName, "approved", "benchmark.approved.json");
        Assert.Equal(0, (await CliRun.Of("verify", Results, "--approved", approved, "--accept")).ExitCode);
        var verify = await CliRun.Of("verify", Results, "--approved", approved);
        Assert.True(verify.ExitCode == 0, verify.Out + verify.Err);
        return approved;
    }

    [Fact]
    public async Task A_verdict_on_the_results_being_published_publishes_as_success()
    {
        await VerifyResults();
        var run = await Publish();
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.DoesNotContain("warning", run.Err, StringComparison.Ordinal);
        Assert.Equal("success", (string)_api.Requests[0].Json["conclusion"]!);
    }

    [Fact]
    public async Task A_verdict_on_an_older_results_file_is_refused_with_exit_2_and_nothing_is_published()
    {
        await VerifyResults();
        // A later bench writes a newer summary into the same folder; verification.json still speaks of the first.
        var newer = Path.Combine(Results, "results_all_tasks_20261124-080000.json");
        File.WriteAllText(newer, JsonSerializer.Serialize(Summary() with { Rows = [new ScoreRow("leg_counting", "tiny-sft", 0.12, 0.02, 500, 0.98, 31.5, 1, 0)] }, HierJson.Indented));

        var run = await Publish();
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: " + Path.Combine(Results, "verification.json") + ": a stale verdict: it verified ", run.Err, StringComparison.Ordinal);
        Assert.Contains("results_all_tasks_20261123-120000.json, but the results being published are " + newer, run.Err, StringComparison.Ordinal);
        Assert.Contains($"run 'hierreason verify {Results} --approved ", run.Err, StringComparison.Ordinal);
        Assert.Empty(_api.Requests);
        AssertNoToken(run);
    }

    [Fact]
    public async Task A_verdict_on_results_rewritten_since_is_refused_with_exit_2_naming_both_digests()
    {
        await VerifyResults();
        var file = Path.Combine(Results, "results_all_tasks_20261123-120000.json");
        File.WriteAllText(file, JsonSerializer.Serialize(Summary() with { Rows = [new ScoreRow("leg_counting", "tiny-sft", 0.12, 0.02, 500, 0.98, 31.5, 1, 0)] }, HierJson.Indented));

        var run = await Publish();
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("verification.json: a stale verdict: it verified ", run.Err, StringComparison.Ordinal);
        Assert.Contains($"but the results being published, {file}, now have sha256 {VerificationReport.Sha256Of(file)} (rewritten since)", run.Err, StringComparison.Ordinal);
        Assert.Contains($"run 'hierreason verify {Results} --approved ", run.Err, StringComparison.Ordinal);
        Assert.Empty(_api.Requests);

        // Verifying again makes the verdict current, and publish goes ahead (the lower accuracy now fails the check).
        var approved = Path.Combine(_temp.FullName, "approved", "benchmark.approved.json");
        Assert.Equal(1, (await CliRun.Of("verify", Results, "--approved", approved)).ExitCode);
        var again = await Publish();
        Assert.True(again.ExitCode == 0, again.Err);
        Assert.Equal("failure", (string)_api.Requests[0].Json["conclusion"]!);
    }

    [Fact]
    public async Task An_older_verdict_without_a_digest_publishes_with_a_warning_when_the_file_name_matches()
    {
        WriteVerification(passed: true);
        var run = await Publish();
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Contains("warning: " + Path.Combine(Results, "verification.json") + " records no results_sha256", run.Err, StringComparison.Ordinal);
        Assert.Equal("success", (string)_api.Requests[0].Json["conclusion"]!);
    }

    public void Dispose()
    {
        _api.Dispose();
        foreach (var (k, v) in _saved) Environment.SetEnvironmentVariable(k, v);
        _temp.Delete(recursive: true);
    }
}
