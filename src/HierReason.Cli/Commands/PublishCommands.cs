using System.CommandLine;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Harness.Publishing;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason publish &lt;results-dir&gt;</c>: a check run on the commit and, for pull requests, a comment updated in place.
/// The token comes only from GITHUB_TOKEN. Without it the command exits 2, or 0 with <c>--if-token</c> (what pipelines use).
/// A run whose verification failed still publishes successfully (exit 0): the failure is the check run's conclusion.
/// A verification.json that verified another results file, or these results before they were rewritten, is refused (exit 2).
/// </summary>
public static class PublishCommands
{
    public const string TokenVariable = "GITHUB_TOKEN";

    public static Command Build(IServiceProvider services)
    {
        var dir = new Argument<string>("results-dir") { Description = "The results folder (summary.md, results_all_tasks_<ts>.json, verification.json)." };
        var owner = new Option<string?>("--owner") { Description = "Repository owner (default: from GITHUB_REPOSITORY)." };
        var repo = new Option<string?>("--repo") { Description = "Repository name (default: from GITHUB_REPOSITORY)." };
        var sha = new Option<string?>("--sha") { Description = "Commit for the check run (default: the PR head from GITHUB_EVENT_PATH, else GITHUB_SHA)." };
        var pr = new Option<int?>("--pr") { Description = "Pull request to comment on (default: from GITHUB_EVENT_PATH or GITHUB_REF refs/pull/N/merge)." };
        var apiUrl = new Option<string?>("--api-url") { Description = "GitHub API base address (default: GITHUB_API_URL, else https://api.github.com)." };
        var ifToken = new Option<bool>("--if-token") { Description = "Without GITHUB_TOKEN, say so and exit 0 instead of 2." };
        var command = new Command("publish", "Publish benchmark results to GitHub: a check run on the commit and a pull-request comment (token from GITHUB_TOKEN).")
        {
            dir, owner, repo, sha, pr, apiUrl, ifToken,
        };
        command.SetAction(async (parse, _) =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var token = Environment.GetEnvironmentVariable(TokenVariable);
            if (string.IsNullOrWhiteSpace(token))
            {
                const string missing = "GITHUB_TOKEN is not set: nothing was published (in a workflow, pass env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }})";
                if (!parse.GetValue(ifToken)) throw new HierReasonException(missing);
                await console.Out.WriteLineAsync(missing);
                return 0;
            }
            var report = BenchmarkReport.Load(parse.GetValue(dir)!);
            foreach (var warning in report.Warnings ?? [])
                await console.Error.WriteLineAsync("warning: " + warning);
            var target = PublishTargetResolver.Resolve(
                new PublishOptions(parse.GetValue(owner), parse.GetValue(repo), parse.GetValue(sha), parse.GetValue(pr), parse.GetValue(apiUrl)),
                Environment.GetEnvironmentVariable, report.Results?.Run.GitCommit);
            var content = PublishContent.From(report, RunUrl(target));
            var outcome = await new GitHubPublisher(token, target.ApiUrl).PublishAsync(target, content);
            await console.Out.WriteLineAsync(
                $"check run {outcome.CheckRunId} on {target.Owner}/{target.Repo}@{target.Sha[..7]}: {content.Conclusion.ToString().ToLowerInvariant()} ({content.Title})");
            if (outcome.CommentId is { } id)
                await console.Out.WriteLineAsync($"pull request #{target.PullRequest}: comment {id} {(outcome.CommentUpdated ? "updated" : "created")}");
            return 0;
        });
        return command;
    }

    private static string? RunUrl(PublishTarget target)
    {
        var server = Environment.GetEnvironmentVariable("GITHUB_SERVER_URL");
        var runId = Environment.GetEnvironmentVariable("GITHUB_RUN_ID");
        return string.IsNullOrEmpty(server) || string.IsNullOrEmpty(runId) ? null
            : $"{server.TrimEnd('/')}/{target.Owner}/{target.Repo}/actions/runs/{runId}";
    }
}
