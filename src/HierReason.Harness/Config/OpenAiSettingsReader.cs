using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Core.Results;

namespace HierReason.Harness.Config;

/// <summary>
/// Reads an openai entry's request settings from models.json: <c>max_tokens_field</c>, <c>sampling</c>,
/// <c>reasoning_effort</c>, <c>extra_body</c>, <c>headers</c>, <c>n</c>, <c>timeout_seconds</c> (<see cref="OpenAiRequestSettings"/>).
/// Every mistake is a <see cref="ConfigException"/> naming the file, the JSON path and what was expected.
/// </summary>
internal static class OpenAiSettingsReader
{
    /// <summary>The keys this reader owns (a local entry may set none of them).</summary>
    public static readonly string[] Fields = ["max_tokens_field", "sampling", "reasoning_effort", "extra_body", "headers", "n", "timeout_seconds"];

    /// <summary>The longest per-attempt timeout: an hour (a long reasoning answer takes minutes, not hours).</summary>
    public const double MaxTimeoutSeconds = 3600;

    /// <summary>The most completions one request may ask for (OpenAI's own limit is 128).</summary>
    public const int MaxN = 128;

    /// <summary>The settings of <paramref name="obj"/>, or null when it sets none.</summary>
    public static OpenAiRequestSettings? Read(JsonObject obj, string file, string path)
    {
        if (!Fields.Any(obj.ContainsKey)) return null;
        return new OpenAiRequestSettings(
            MaxTokensField: Choice(obj, "max_tokens_field", OpenAiRequestSettings.MaxTokensFields, file, path),
            Sampling: Sampling(obj, file, path),
            ReasoningEffort: Choice(obj, "reasoning_effort", OpenAiRequestSettings.ReasoningEfforts, file, path),
            ExtraBody: ExtraBody(obj, file, path),
            Headers: Headers(obj, file, path, literal: true),
            HeaderEnv: Headers(obj, file, path, literal: false),
            N: obj.TryGetPropertyValue("n", out var n) ? (int)ConfigJson.Integer(n, file, $"{path}.n", 1, MaxN, $"an integer in [1, {MaxN}] (completions per request)") : null,
            TimeoutSeconds: Timeout(obj, file, path));
    }

    private static string? Choice(JsonObject obj, string key, IReadOnlyList<string> choices, string file, string path)
    {
        if (!obj.TryGetPropertyValue(key, out var node)) return null;
        var text = ConfigJson.String(node, file, $"{path}.{key}");
        return choices.Contains(text) ? text : throw new ConfigException(file, $"{path}.{key}", $"one of {string.Join(", ", choices)}", $"'{text}'");
    }

    /// <summary><c>"sampling"</c>: the list of sampling fields sent, each at most once ([] sends none).</summary>
    private static IReadOnlyList<string>? Sampling(JsonObject obj, string file, string path)
    {
        var array = ConfigJson.OptionalArray(obj, "sampling", file, path);
        if (array is null) return null;
        var fields = new List<string>();
        for (var i = 0; i < array.Count; i++)
        {
            var field = ConfigJson.String(array[i], file, $"{path}.sampling[{i}]");
            if (!OpenAiRequestSettings.SamplingFields.Contains(field))
                throw new ConfigException(file, $"{path}.sampling[{i}]", $"one of {string.Join(", ", OpenAiRequestSettings.SamplingFields)}", $"'{field}'");
            if (fields.Contains(field)) throw new ConfigException(file, $"{path}.sampling[{i}]", "each field once", $"a second '{field}'");
            fields.Add(field);
        }
        return fields;
    }

    private static JsonObject? ExtraBody(JsonObject obj, string file, string path)
    {
        var body = ConfigJson.OptionalObject(obj, "extra_body", file, path);
        if (body is null) return null;
        foreach (var (key, value) in body)
            if (OpenAiRequestSettings.ReservedBodyKeys.Contains(key))
                throw new ConfigException(file, $"{path}.extra_body.{key}",
                    $"no '{key}' (the client writes {string.Join(", ", OpenAiRequestSettings.ReservedBodyKeys)}{(key == "n" ? "; set the entry's \"n\"" : "")})", ConfigJson.Found(value));
        return (JsonObject)body.DeepClone();
    }

    /// <summary>
    /// <c>"headers"</c>: header name → a literal string or <c>{"env": "NAME"}</c>; <paramref name="literal"/> picks which of the
    /// two kinds is returned (null when there is none of that kind).
    /// </summary>
    private static IReadOnlyDictionary<string, string>? Headers(JsonObject obj, string file, string path, bool literal)
    {
        var headers = ConfigJson.OptionalObject(obj, "headers", file, path);
        if (headers is null) return null;
        var chosen = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var at = $"{path}.headers.{name}";
            if (name.Length == 0 || name.Any(c => !IsTokenChar(c)))
                throw new ConfigException(file, at, "an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)", $"'{name}'");
            if (OpenAiRequestSettings.ReservedHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new ConfigException(file, at, $"a header other than {string.Join(", ", OpenAiRequestSettings.ReservedHeaders)} (the client sets those; the API key goes in api_key_env)", $"'{name}'");
            if (headers.Count(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) > 1)
                throw new ConfigException(file, at, "each header once (names are case-insensitive)", $"a second '{name}'");
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                var text = v.GetValue<string>();
                if (text.Any(c => c is '\r' or '\n' or '\0')) throw new ConfigException(file, at, "a header value on one line", "a line break");
                if (literal) chosen[name] = text;
            }
            else if (value is JsonObject env)
            {
                ConfigJson.RejectUnknown(env, file, at, "env");
                if (!env.TryGetPropertyValue("env", out var variableNode))
                    throw new ConfigException(file, $"{at}.env", "the environment variable holding the value (a required field)", "nothing");
                var variable = ConfigJson.String(variableNode, file, $"{at}.env");
                if (variable.Length == 0 || variable.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_')))
                    throw new ConfigException(file, $"{at}.env", "an environment variable name (letters, digits, _)", $"'{variable}'");
                if (!literal) chosen[name] = variable;
            }
            else
            {
                throw new ConfigException(file, at, "a header value: a string, or {\"env\": \"NAME\"} to read it from the environment", ConfigJson.Found(value));
            }
        }
        return chosen.Count == 0 ? null : chosen;
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);

    private static double? Timeout(JsonObject obj, string file, string path)
    {
        if (!obj.TryGetPropertyValue("timeout_seconds", out var node)) return null;
        var seconds = ConfigJson.Number(node, file, $"{path}.timeout_seconds");
        if (seconds is <= 0 or > MaxTimeoutSeconds)
            throw new ConfigException(file, $"{path}.timeout_seconds", $"a number of seconds in (0, {MaxTimeoutSeconds}]", ConfigJson.Found(node));
        return seconds;
    }
}
