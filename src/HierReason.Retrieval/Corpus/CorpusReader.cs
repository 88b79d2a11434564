using System.Text;
using System.Text.Json;
using HierReason.Core;

namespace HierReason.Retrieval.Corpus;

/// <summary>
/// Reads a Search-R1 corpus: JSONL, one <c>{"id", "contents"}</c> object a line, contents as <c>"Title"\ntext</c>; an
/// optional string <c>"title"</c> names the title when the contents carry none. Every error names the file, the line and
/// the field.
/// </summary>
public static class CorpusReader
{
    public static IReadOnlyList<Document> ReadJsonl(string path, CorpusLimits? limits = null)
    {
        limits ??= CorpusLimits.Default;
        if (!File.Exists(path)) throw new HierReasonException($"corpus {path}: no such file");
        var size = new FileInfo(path).Length;
        if (size > limits.MaxFileBytes) throw new HierReasonException($"corpus {path}: {size} bytes is more than the limit of {limits.MaxFileBytes}");
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path, limits);
    }

    /// <summary>Reads JSONL from <paramref name="reader"/>; <paramref name="name"/> is the file name errors carry.</summary>
    public static IReadOnlyList<Document> Read(TextReader reader, string name, CorpusLimits? limits = null)
    {
        limits ??= CorpusLimits.Default;
        var documents = new List<Document>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (line.Length > limits.MaxLineBytes)
                throw Error(name, number, null, $"the line is {line.Length} characters long, more than the limit of {limits.MaxLineBytes}");
            if (documents.Count == limits.MaxDocuments)
                throw Error(name, number, null, $"the corpus holds more than {limits.MaxDocuments} documents");
            var document = Parse(line, name, number, limits);
            if (!firstLine.TryAdd(document.Id, number))
                throw Error(name, number, "id", $"duplicate id '{document.Id}' (first on line {firstLine[document.Id]})");
            documents.Add(document);
        }
        if (documents.Count == 0) throw new HierReasonException($"corpus {name}: no documents (expected JSONL objects {{\"id\", \"contents\"}})");
        return documents;
    }

    private static Document Parse(string line, string name, int number, CorpusLimits limits)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw Error(name, number, null, "invalid JSON: " + e.Message);
        }
        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Error(name, number, null, $"expected a JSON object; found {Kind(root)}");
            var id = root.TryGetProperty("id", out var idValue) ? idValue.ValueKind switch
            {
                JsonValueKind.String => idValue.GetString()!,
                JsonValueKind.Number => idValue.GetRawText(),
                _ => throw Error(name, number, "id", $"expected a string or a number; found {Kind(idValue)}"),
            } : throw Error(name, number, "id", "missing");
            if (id.Length == 0) throw Error(name, number, "id", "empty");
            if (id.Length > limits.MaxIdLength) throw Error(name, number, "id", $"{id.Length} characters, more than the limit of {limits.MaxIdLength}");
            if (!root.TryGetProperty("contents", out var contentsValue)) throw Error(name, number, "contents", "missing");
            if (contentsValue.ValueKind != JsonValueKind.String) throw Error(name, number, "contents", $"expected a string; found {Kind(contentsValue)}");
            var contents = contentsValue.GetString()!;
            if (!root.TryGetProperty("title", out var titleValue) || titleValue.ValueKind == JsonValueKind.Null)
                return new Document(id, Document.TitleOf(contents), contents);
            if (titleValue.ValueKind != JsonValueKind.String) throw Error(name, number, "title", $"expected a string; found {Kind(titleValue)}");
            var title = titleValue.GetString()!.Trim();
            // Contents that already open with this title keep their layout; otherwise the title line is added, so the
            // contents served and formatted are Search-R1's "Title"\ntext either way.
            return Document.TitleOf(contents) == title ? new Document(id, title, contents) : Document.FromTitleAndText(id, title, contents);
        }
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static HierReasonException Error(string name, int line, string? field, string message) =>
        new(field is null ? $"{name}:{line}: {message}" : $"{name}:{line}: field '{field}': {message}");
}
