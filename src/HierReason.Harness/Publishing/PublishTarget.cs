using System.Text.Json;
using System.Text.RegularExpressions;
using HierReason.Core;

namespace HierReason.Harness.Publishing;

/// <summary>Where results are published: a repository, the commit the check run belongs to, and the pull request (if any) to comment on.</summary>
public sealed record PublishTarget(string Owner, string Repo, string Sha, int? PullRequest, Uri ApiUrl)
{
    public const string DefaultApiUrl = "https://api.github.com/";
}

/// <summary>Explicit values from the command line; each one overrides what the GitHub Actions environment says.</summary>
public sealed record PublishOptions(string? Owner = null, string? Repo = null, string? Sha = null, int? PullRequest = null, string? ApiUrl = null);

/// <summary>
/// Resolves a <see cref="PublishTarget"/> from options and the standard GitHub Actions variables:
/// GITHUB_REPOSITORY (owner/repo), GITHUB_SHA, GITHUB_EVENT_PATH (pull_request.number and head.sha),
/// GITHUB_REF (refs/pull/N/merge) and GITHUB_API_URL.
/// </summary>
public static partial class PublishTargetResolver
{
    public static PublishTarget Resolve(PublishOptions options, Func<string, string?> env, string? fallbackSha = null)
    {
        var (owner, repo) = Repository(options, env);
        var pullRequest = ReadEvent(env, out var eventHeadSha);
        var pr = options.PullRequest ?? pullRequest ?? PullFromRef(env("GITHUB_REF"));
        if (pr is <= 0) throw new HierReasonException($"--pr: expected a positive pull request number; found {pr}");
        // On pull_request events GITHUB_SHA is the temporary merge commit; the check belongs on the PR's head.
        var sha = NonEmpty(options.Sha) ?? eventHeadSha ?? NonEmpty(env("GITHUB_SHA")) ?? NonEmpty(fallbackSha)
            ?? throw new HierReasonException("no commit to publish to: pass --sha or set GITHUB_SHA");
        if (!ShaPattern().IsMatch(sha))
            throw new HierReasonException($"commit '{sha}': expected a 40-character hexadecimal SHA (--sha or GITHUB_SHA)");
        return new PublishTarget(owner, repo, sha, pr, ApiUrl(options.ApiUrl ?? NonEmpty(env("GITHUB_API_URL"))));
    }

    private static (string Owner, string Repo) Repository(PublishOptions options, Func<string, string?> env)
    {
        string? owner = NonEmpty(options.Owner), repo = NonEmpty(options.Repo);
        var slug = NonEmpty(env("GITHUB_REPOSITORY"));
        if ((owner is null || repo is null) && slug is not null)
        {
            var parts = slug.Split('/');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new HierReasonException($"GITHUB_REPOSITORY: expected owner/repo; found '{slug}'");
            owner ??= parts[0];
            repo ??= parts[1];
        }
        if (owner is null || repo is null)
            throw new HierReasonException("no repository to publish to: pass --owner and --repo or set GITHUB_REPOSITORY=owner/repo");
        return (owner, repo);
    }

    private static int? ReadEvent(Func<string, string?> env, out string? headSha)
    {
        headSha = null;
        var path = NonEmpty(env("GITHUB_EVENT_PATH"));
        if (path is null || !File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("pull_request", out var pr) || pr.ValueKind != JsonValueKind.Object)
                return null;
            if (pr.TryGetProperty("head", out var head) && head.ValueKind == JsonValueKind.Object
                && head.TryGetProperty("sha", out var sha) && sha.ValueKind == JsonValueKind.String)
                headSha = sha.GetString();
            return pr.TryGetProperty("number", out var number) && number.TryGetInt32(out var n) ? n : null;
        }
        catch (JsonException e)
        {
            throw new HierReasonException($"GITHUB_EVENT_PATH {path}: expected the event's JSON; {e.Message}");
        }
    }

    private static int? PullFromRef(string? gitRef)
    {
        var m = gitRef is null ? null : PullRef().Match(gitRef);
        return m is { Success: true } ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static Uri ApiUrl(string? text)
    {
        var url = text ?? PublishTarget.DefaultApiUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new HierReasonException($"--api-url / GITHUB_API_URL: expected an http(s) URL; found '{url}'");
        return uri;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    [GeneratedRegex("^refs/pull/([0-9]+)/(merge|head)$")]
    private static partial Regex PullRef();

    [GeneratedRegex("^[0-9a-fA-F]{40}$")]
    private static partial Regex ShaPattern();
}
