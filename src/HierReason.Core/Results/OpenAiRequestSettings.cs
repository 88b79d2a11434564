using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace HierReason.Core.Results;

/// <summary>
/// How an openai model's requests are shaped (models.json keys of a <c>"backend": "openai"</c> entry). Null members take
/// the defaults of <see cref="ForModel"/>: a reasoning model (<see cref="IsReasoningModel"/>) gets
/// <c>max_completion_tokens</c> and no temperature or top_p, any other model <c>max_tokens</c>, temperature and top_p.
/// </summary>
/// <param name="MaxTokensField">models.json <c>max_tokens_field</c>: "max_tokens" or "max_completion_tokens".</param>
/// <param name="Sampling">models.json <c>sampling</c>: which of "temperature" and "top_p" are sent (empty: neither).</param>
/// <param name="ReasoningEffort">models.json <c>reasoning_effort</c>, sent as is when set: minimal, low, medium, high.</param>
/// <param name="ExtraBody">models.json <c>extra_body</c>: merged into the request last (its keys win, except those of <see cref="ReservedBodyKeys"/>).</param>
/// <param name="Headers">models.json <c>headers</c> given as literal strings: header → value.</param>
/// <param name="HeaderEnv">models.json <c>headers</c> given as <c>{"env": "NAME"}</c>: header → environment variable (the value is read when the backend starts, never written).</param>
/// <param name="N">models.json <c>n</c>: at most this many completions per request (more samples are split over several requests); null = all in one.</param>
/// <param name="TimeoutSeconds">models.json <c>timeout_seconds</c>: one attempt's limit (a slower attempt is retried like a 5xx); null = 120 s.</param>
public sealed record OpenAiRequestSettings(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MaxTokensField = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Sampling = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReasoningEffort = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonObject? ExtraBody = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Headers = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? HeaderEnv = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? N = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TimeoutSeconds = null)
{
    public static IReadOnlyList<string> MaxTokensFields { get; } = ["max_tokens", "max_completion_tokens"];
    public static IReadOnlyList<string> SamplingFields { get; } = ["temperature", "top_p"];
    public static IReadOnlyList<string> ReasoningEfforts { get; } = ["minimal", "low", "medium", "high"];

    /// <summary>Request keys <see cref="ExtraBody"/> may not set: the client writes them (n: use the <c>n</c> setting; the client never streams).</summary>
    public static IReadOnlyList<string> ReservedBodyKeys { get; } = ["model", "messages", "prompt", "n", "stream"];

    /// <summary>Headers <see cref="Headers"/> may not set: the client writes them (the key goes in api_key_env).</summary>
    public static IReadOnlyList<string> ReservedHeaders { get; } = ["Authorization", "Content-Type", "Content-Length", "Host", "Accept"];

    /// <summary>OpenAI's reasoning families, matched as prefixes of the model id (after its last '/', case-insensitive).</summary>
    public static IReadOnlyList<string> ReasoningFamilies { get; } = ["o1", "o3", "o4", "gpt-5"];

    /// <summary>
    /// Whether <paramref name="model"/> is one of OpenAI's reasoning models, which reject max_tokens, temperature and top_p:
    /// its id, after any "vendor/" prefix (OpenRouter's "openai/o4-mini"), starts with o1, o3, o4 or gpt-5.
    /// </summary>
    public static bool IsReasoningModel(string model)
    {
        var id = model[(model.LastIndexOf('/') + 1)..];
        return ReasoningFamilies.Any(f => id.StartsWith(f, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>These settings with the defaults for <paramref name="model"/> filled in (<see cref="MaxTokensField"/> and <see cref="Sampling"/> never null).</summary>
    public OpenAiRequestSettings ForModel(string model)
    {
        var reasoning = IsReasoningModel(model);
        return this with
        {
            MaxTokensField = MaxTokensField ?? (reasoning ? "max_completion_tokens" : "max_tokens"),
            Sampling = Sampling ?? (reasoning ? [] : SamplingFields),
        };
    }
}
