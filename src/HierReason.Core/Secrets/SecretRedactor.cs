using System.Text.Json;
using System.Text.RegularExpressions;

namespace HierReason.Core.Secrets;

/// <summary>
/// Takes secrets out of text before it is printed, logged or stored: every known secret value (an API key read from
/// the environment, a GitHub token), also in its JSON-escaped form, and whatever follows an <c>Authorization</c> header
/// name or a <c>Bearer</c> scheme, each replaced by <see cref="Mask"/>. Used wherever an error text leaves a backend or
/// the publisher, since a server may echo a request — headers included — in its error body.
/// </summary>
public sealed partial class SecretRedactor
{
    public const string Mask = "***";

    // Shorter values would mask ordinary words; the header patterns still catch them where they are sent.
    private const int MinimumLength = 4;

    private readonly string[] _values;

    public SecretRedactor(IEnumerable<string?> secrets) =>
        _values = secrets
            .Where(s => s is { Length: >= MinimumLength })
            .SelectMany(s => new[] { s!, JsonEncodedText.Encode(s!).ToString() })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length) // a secret that contains another is masked whole
            .ToArray();

    /// <summary>A redactor of the values of these environment variables (unset or empty ones are skipped).</summary>
    public static SecretRedactor FromEnvironment(IEnumerable<string?> variables) =>
        new(variables.Select(v => string.IsNullOrEmpty(v) ? null : Environment.GetEnvironmentVariable(v)));

    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        foreach (var value in _values) text = text.Replace(value, Mask, StringComparison.Ordinal);
        text = AuthorizationHeader().Replace(text, "${name}" + Mask);
        return BearerToken().Replace(text, "${scheme}" + Mask);
    }

    // "Authorization: Bearer x", "authorization=x", "\"Authorization\": \"Basic x\"": the scheme and the credential.
    [GeneratedRegex("""(?<name>\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|token|digest)\s+)?[^\s"',;]+""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationHeader();

    [GeneratedRegex("""(?<scheme>\bbearer\s+)[A-Za-z0-9\-._~+/]+=*""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BearerToken();
}
