using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Backends.Serving;

/// <summary>
/// Reads a request body as one JSON object and refuses (400) what System.Text.Json parses but the parser must never
/// meet: duplicate keys, and keys or strings that are not valid Unicode (invalid UTF-8 bytes, lone surrogates).
/// </summary>
internal static class RequestBody
{
    // Duplicates are allowed through parsing so the walk below can name the key and where it is.
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowDuplicateProperties = true };

    public static async Task<JsonObject> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, Options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw OpenAiError.BadRequest("The request body is not valid JSON: " + e.Message, code: "invalid_json");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw OpenAiError.BadRequest("The request body must be a JSON object.", code: "invalid_json");
            Check(root, "");
            // A clone owns its bytes: the node outlives the pooled document.
            return JsonObject.Create(root.Clone())!;
        }
    }

    /// <summary>Every key unique within its object and every key and string decodable; <paramref name="path"/> in the parser's param style.</summary>
    private static void Check(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var where = path.Length == 0 ? "the request body" : $"'{path}'";
                var keys = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var key = Decode(() => property.Name, "A key in " + where, path);
                    var child = path.Length == 0 ? key : $"{path}.{key}";
                    if (!keys.Add(key)) throw OpenAiError.BadRequest($"The key '{key}' appears twice in {where}; duplicate keys are refused.", child, "duplicate_key");
                    Check(property.Value, child);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) Check(item, $"{path}[{i++}]");
                break;
            case JsonValueKind.String:
                Decode(() => element.GetString()!, $"'{path}'", path);
                break;
        }
    }

    private static string Decode(Func<string> read, string what, string path)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json decodes on first read, and throws there on invalid UTF-8 and lone surrogates.
            throw OpenAiError.BadRequest($"{what} is not valid Unicode text (invalid UTF-8 bytes or a lone surrogate).", path.Length == 0 ? null : path, "invalid_json");
        }
    }
}
