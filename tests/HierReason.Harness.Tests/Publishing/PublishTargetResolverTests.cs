using HierReason.Core;
using HierReason.Harness.Publishing;

namespace HierReason.Harness.Tests.Publishing;

public sealed class PublishTargetResolverTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    private static Func<string, string?> Env(params (string Key, string Value)[] values) =>
        key => values.FirstOrDefault(v => v.Key == key).Value;

    [Fact]
    public void A_pull_request_merge_ref_gives_the_pr_number()
    {
        var target = PublishTargetResolver.Resolve(new PublishOptions(),
            Env(("GITHUB_REPOSITORY", "acme/bench"), ("GITHUB_SHA", Sha), ("GITHUB_REF", "refs/pull/42/merge")));
        Assert.Equal(new PublishTarget("acme", "bench", Sha, 42, new Uri("https://api.github.com/")), target);
    }

    [Fact]
    public void A_branch_push_has_no_pull_request()
    {
        var target = PublishTargetResolver.Resolve(new PublishOptions(),
            Env(("GITHUB_REPOSITORY", "acme/bench"), ("GITHUB_SHA", Sha), ("GITHUB_REF", "refs/heads/main"), ("GITHUB_API_URL", "https://ghe.example/api/v3")));
        Assert.Null(target.PullRequest);
        Assert.Equal("https://ghe.example/api/v3", target.ApiUrl.ToString());
    }

    [Fact]
    public void Without_a_repository_the_error_says_how_to_give_one()
    {
        var e = Assert.Throws<HierReasonException>(() => PublishTargetResolver.Resolve(new PublishOptions(), Env(("GITHUB_SHA", Sha))));
        Assert.Equal("no repository to publish to: pass --owner and --repo or set GITHUB_REPOSITORY=owner/repo", e.Message);
    }

    [Theory]
    [InlineData("acme")]
    [InlineData("acme/")]
    [InlineData("a/b/c")]
    public void A_malformed_repository_slug_is_rejected(string slug)
    {
        var e = Assert.Throws<HierReasonException>(() =>
            PublishTargetResolver.Resolve(new PublishOptions(), Env(("GITHUB_REPOSITORY", slug), ("GITHUB_SHA", Sha))));
        Assert.Equal($"GITHUB_REPOSITORY: expected owner/repo; found '{slug}'", e.Message);
    }

    [Fact]
    public void A_short_sha_is_rejected_and_the_results_commit_is_the_last_fallback()
    {
        var e = Assert.Throws<HierReasonException>(() =>
            PublishTargetResolver.Resolve(new PublishOptions(Sha: "abc123"), Env(("GITHUB_REPOSITORY", "acme/bench"))));
        Assert.StartsWith("commit 'abc123': expected a 40-character hexadecimal SHA", e.Message);
        var target = PublishTargetResolver.Resolve(new PublishOptions(), Env(("GITHUB_REPOSITORY", "acme/bench")), fallbackSha: Sha);
        Assert.Equal(Sha, target.Sha);
    }
}
