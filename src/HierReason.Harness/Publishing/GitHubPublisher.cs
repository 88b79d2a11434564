using HierReason.Core;
using HierReason.Core.Secrets;
using Octokit;

namespace HierReason.Harness.Publishing;

/// <summary>What publishing did: the check run created and, on pull requests, the comment created or updated.</summary>
public sealed record PublishOutcome(long CheckRunId, string? CheckRunUrl, long? CommentId, string? CommentUrl, bool CommentUpdated);

/// <summary>
/// Publishes a run to GitHub through Octokit: a check run on the commit and, for pull requests, one comment that
/// reruns update in place (found by <see cref="PublishContent.CommentMarker"/>). The token is only handed to
/// Octokit; every error message is scrubbed of it before it leaves this class.
/// </summary>
public sealed class GitHubPublisher
{
    private readonly GitHubClient _client;
    private readonly SecretRedactor _redactor;

    public GitHubPublisher(string token, Uri apiUrl)
    {
        if (string.IsNullOrWhiteSpace(token)) throw new HierReasonException("GITHUB_TOKEN is empty");
        _redactor = new SecretRedactor([token]);
        _client = new GitHubClient(new ProductHeaderValue("HierReason"), apiUrl) { Credentials = new Credentials(token) };
    }

    public async Task<PublishOutcome> PublishAsync(PublishTarget target, PublishContent content)
    {
        var check = await Call("creating the check run", target, () => _client.Check.Run.Create(target.Owner, target.Repo,
            new NewCheckRun(PublishContent.CheckRunName, target.Sha)
            {
                Status = CheckStatus.Completed,
                Conclusion = content.Conclusion switch
                {
                    PublishConclusion.Success => CheckConclusion.Success,
                    PublishConclusion.Failure => CheckConclusion.Failure,
                    _ => CheckConclusion.Neutral,
                },
                CompletedAt = DateTimeOffset.UtcNow,
                Output = new NewCheckRunOutput(content.Title, content.CheckSummary),
            }));
        if (target.PullRequest is not { } pr) return new PublishOutcome(check.Id, check.HtmlUrl, null, null, false);

        var comments = await Call("listing the pull request's comments", target,
            () => _client.Issue.Comment.GetAllForIssue(target.Owner, target.Repo, pr));
        var ours = comments.FirstOrDefault(c => c.Body?.Contains(PublishContent.CommentMarker, StringComparison.Ordinal) == true);
        var comment = ours is null
            ? await Call("commenting on the pull request", target, () => _client.Issue.Comment.Create(target.Owner, target.Repo, pr, content.CommentBody))
            : await Call("updating the pull request comment", target, () => _client.Issue.Comment.Update(target.Owner, target.Repo, ours.Id, content.CommentBody));
        return new PublishOutcome(check.Id, check.HtmlUrl, comment.Id, comment.HtmlUrl, ours is not null);
    }

    private async Task<T> Call<T>(string what, PublishTarget target, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AuthorizationException)
        {
            throw new HierReasonException(Scrub(
                $"GitHub rejected the token (401) while {what} at {target.ApiUrl}: check that GITHUB_TOKEN is set to a valid, unexpired token"));
        }
        catch (ForbiddenException e)
        {
            throw new HierReasonException(Scrub(
                $"GitHub refused {what} (403) for {target.Owner}/{target.Repo}: {e.Message}. The workflow needs permissions checks: write and pull-requests: write"));
        }
        catch (NotFoundException)
        {
            throw new HierReasonException(Scrub(
                $"GitHub answered 404 while {what}: repository {target.Owner}/{target.Repo}, commit {target.Sha}" +
                (target.PullRequest is { } pr ? $", pull request #{pr}" : "") + " not found, or the token cannot see it"));
        }
        catch (ApiException e)
        {
            throw new HierReasonException(Scrub($"GitHub answered {(int)e.StatusCode} while {what}: {e.Message}"));
        }
        catch (HttpRequestException e)
        {
            throw new HierReasonException(Scrub($"could not reach the GitHub API at {target.ApiUrl} while {what}: {e.Message}"));
        }
    }

    private string Scrub(string message) => _redactor.Redact(message);
}
