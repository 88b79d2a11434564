using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Retrieval.Corpus;

namespace HierReason.Retrieval.Serving;

/// <summary>
/// Search-R1's <c>/retrieve</c> contract, both ends: POST <c>{"queries": [...], "topk": k, "return_scores": bool}</c>
/// answers <c>{"result": [[{"document": {"id", "contents"}, "score": s}, ...], ...]}</c> (one list per query), or
/// <c>{"result": [[{"id", "contents"}, ...], ...]}</c> when return_scores is false (Search-R1's default).
/// </summary>
public static class RetrieveContract
{
    public const int MaxQueries = 256;
    public const int MaxTopK = 100;

    public static JsonObject Request(IReadOnlyList<string> queries, int topK, bool returnScores = true) => new()
    {
        ["queries"] = new JsonArray(queries.Select(q => (JsonNode?)JsonValue.Create(q)).ToArray()),
        ["topk"] = topK,
        ["return_scores"] = returnScores,
    };

    /// <summary>Reads a request body; anything off the contract is a 400 naming the field.</summary>
    public static RetrieveRequest ParseRequest(JsonElement root, int defaultTopK)
    {
        if (root.ValueKind != JsonValueKind.Object) throw RetrievalError.BadRequest("The request body must be a JSON object.", null, "invalid_json");
        if (!root.TryGetProperty("queries", out var queries) || queries.ValueKind == JsonValueKind.Null)
            throw RetrievalError.BadRequest("'queries' is missing: send a list of query strings.", "queries", "missing_field");
        if (queries.ValueKind != JsonValueKind.Array) throw RetrievalError.BadRequest("'queries' must be a list of strings.", "queries");
        var count = queries.GetArrayLength();
        if (count == 0) throw RetrievalError.BadRequest("'queries' is empty: send at least one query.", "queries");
        if (count > MaxQueries) throw RetrievalError.BadRequest($"'queries' holds {count} queries; at most {MaxQueries} are accepted per request.", "queries");
        var list = new List<string>(count);
        foreach (var q in queries.EnumerateArray())
        {
            if (q.ValueKind != JsonValueKind.String) throw RetrievalError.BadRequest($"'queries[{list.Count}]' must be a string.", $"queries[{list.Count}]");
            list.Add(q.GetString()!);
        }
        var topK = defaultTopK;
        if (root.TryGetProperty("topk", out var k) && k.ValueKind != JsonValueKind.Null)
        {
            if (k.ValueKind != JsonValueKind.Number || !k.TryGetInt32(out topK) || topK is < 1 or > MaxTopK)
                throw RetrievalError.BadRequest($"'topk' must be an integer from 1 to {MaxTopK}; found {k.GetRawText()}.", "topk");
        }
        var returnScores = false;
        if (root.TryGetProperty("return_scores", out var scores) && scores.ValueKind != JsonValueKind.Null)
        {
            if (scores.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw RetrievalError.BadRequest($"'return_scores' must be true or false; found {scores.GetRawText()}.", "return_scores");
            returnScores = scores.GetBoolean();
        }
        return new RetrieveRequest(list, topK, returnScores);
    }

    public static JsonObject Response(IReadOnlyList<IReadOnlyList<RetrievedDocument>> results, bool returnScores)
    {
        var outer = new JsonArray();
        foreach (var hits in results)
        {
            var inner = new JsonArray();
            foreach (var hit in hits)
            {
                var document = new JsonObject { ["id"] = hit.Document.Id, ["contents"] = hit.Document.Contents };
                inner.Add(returnScores ? new JsonObject { ["document"] = document, ["score"] = hit.Score } : document);
            }
            outer.Add(inner);
        }
        return new JsonObject { ["result"] = outer };
    }

    /// <summary>Reads a server's answer (with or without scores); a shape off the contract is a user error naming <paramref name="source"/>.</summary>
    public static IReadOnlyList<IReadOnlyList<RetrievedDocument>> ParseResponse(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Array)
            throw Bad(source, "result", "expected an object with a 'result' list");
        var results = new List<IReadOnlyList<RetrievedDocument>>();
        foreach (var hits in result.EnumerateArray())
        {
            var i = results.Count;
            if (hits.ValueKind != JsonValueKind.Array) throw Bad(source, $"result[{i}]", "expected a list of documents");
            var list = new List<RetrievedDocument>();
            foreach (var hit in hits.EnumerateArray())
            {
                var path = $"result[{i}][{list.Count}]";
                if (hit.ValueKind != JsonValueKind.Object) throw Bad(source, path, "expected an object");
                var scored = hit.TryGetProperty("document", out var document);
                if (!scored) document = hit;
                var score = 0.0;
                if (scored && hit.TryGetProperty("score", out var s))
                {
                    if (s.ValueKind == JsonValueKind.Number) score = s.GetDouble();
                    else throw Bad(source, path + ".score", "expected a number");
                }
                list.Add(new RetrievedDocument(ReadDocument(document, source, scored ? path + ".document" : path), score));
            }
            results.Add(list);
        }
        return results;
    }

    private static Document ReadDocument(JsonElement document, string source, string path)
    {
        if (document.ValueKind != JsonValueKind.Object) throw Bad(source, path, "expected a document object");
        if (!document.TryGetProperty("contents", out var contents) || contents.ValueKind != JsonValueKind.String)
            throw Bad(source, path + ".contents", "expected a string");
        var id = document.TryGetProperty("id", out var idValue) ? idValue.ValueKind switch
        {
            JsonValueKind.String => idValue.GetString()!,
            JsonValueKind.Number => idValue.GetRawText(),
            _ => "",
        } : "";
        var text = contents.GetString()!;
        var title = document.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : Document.TitleOf(text);
        return new Document(id, title, text);
    }

    private static HierReasonException Bad(string source, string path, string expected) =>
        new($"retrieval server {source}: the answer's '{path}': {expected} (is it a Search-R1 /retrieve endpoint?)");
}
