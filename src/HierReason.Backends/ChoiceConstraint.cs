using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Backends;

/// <summary>
/// A reply constrained to one of a fixed set of strings, written as the JSON object <c>{"Field": "value"}</c>: what a
/// taxonomy chooser asks for (OpenAI's <c>response_format</c> json_schema with one string enum property). The local
/// engine scores each candidate reply instead of generating; an OpenAI-compatible endpoint is sent the schema.
/// </summary>
/// <param name="Field">The JSON property that carries the choice (e.g. <c>next_thought_type</c>).</param>
/// <param name="Values">The strings the reply may choose (non-empty, unique, in preference order for ties).</param>
public sealed record ChoiceConstraint(string Field, IReadOnlyList<string> Values)
{
    /// <summary>The most values a choice may offer (the server's limit too).</summary>
    public const int MaxValues = 256;

    // Labels are text a model reads and writes: keep them as written (no \u escapes for non-ASCII or '&').
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Throws <see cref="ArgumentException"/> unless the field is named and the values are 1–256 unique non-empty strings.</summary>
    public ChoiceConstraint Validated()
    {
        if (string.IsNullOrEmpty(Field)) throw new ArgumentException("a choice needs a field name", nameof(Field));
        if (Values is null || Values.Count == 0 || Values.Count > MaxValues)
            throw new ArgumentException($"a choice needs 1 to {MaxValues} values (found {Values?.Count ?? 0})", nameof(Values));
        if (Values.Any(string.IsNullOrEmpty)) throw new ArgumentException("a choice's values must be non-empty strings", nameof(Values));
        if (Values.Distinct(StringComparer.Ordinal).Count() != Values.Count) throw new ArgumentException("a choice's values must be unique", nameof(Values));
        return this;
    }

    /// <summary>The reply that chooses <paramref name="value"/>: <c>{"next_thought_type": "Active computation"}</c>.</summary>
    public string Reply(string value) =>
        "{" + JsonSerializer.Serialize(Field, Relaxed) + ": " + JsonSerializer.Serialize(value, Relaxed) + "}";

    /// <summary>
    /// The value a reply chose, or null when it chose none of <see cref="Values"/>. Surrounding whitespace and a
    /// Markdown code fence are tolerated, and so is a bare value without the JSON around it.
    /// </summary>
    public string? Parse(string? reply)
    {
        if (reply is null) return null;
        var text = WithoutFence(reply.Trim());
        var found = Values.FirstOrDefault(v => v == text);
        if (found is not null) return found;
        if (!text.StartsWith('{')) return null;
        try
        {
            if (JsonNode.Parse(text) is JsonObject o && o[Field] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                var chosen = v.GetValue<string>();
                return Values.FirstOrDefault(x => x == chosen);
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    /// <summary>The text inside <c>```json … ```</c> (or a plain <c>``` … ```</c>), else the text itself.</summary>
    private static string WithoutFence(string text)
    {
        if (!text.StartsWith("```", StringComparison.Ordinal)) return text;
        var body = text[3..];
        var newline = body.IndexOf('\n');
        // The info string ("json") runs to the first newline; a one-line fence has none.
        body = newline >= 0 && !body[..newline].Contains('{') ? body[(newline + 1)..] : body.TrimStart('j', 's', 'o', 'n');
        var close = body.LastIndexOf("```", StringComparison.Ordinal);
        return (close >= 0 ? body[..close] : body).Trim();
    }
}
