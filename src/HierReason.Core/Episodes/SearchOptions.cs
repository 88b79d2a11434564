using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Core.Episodes;

/// <summary>
/// The options of the search strategies, checked and completed with defaults by <see cref="CheckFlat"/> (flat_search)
/// and <see cref="CheckHierarchical"/> (thinker_searcher), and read back typed by <see cref="From"/>.
/// </summary>
/// <param name="TopK">Passages per search (1–10, Search-R1's 3).</param>
/// <param name="MaxTurns">The thinker's turns per episode (1–16); a turn past the last one is not answered.</param>
/// <param name="Searcher">
/// thinker_searcher only: <c>model</c> (the frozen searcher role runs its own search loop), <c>extractive</c> (BM25 top-1,
/// then its sentence sharing most words with the query; no model), <c>oracle</c> (the gold document of the next hop,
/// its sentence naming the hop's subject and object; needs multi_hop_lookup items).
/// </param>
/// <param name="SearcherMaxTurns">The model searcher's search turns before its forced answer (1–8).</param>
/// <param name="SearcherMaxTokens">Tokens per searcher reply (1–8192, Search-R1's 400).</param>
/// <param name="RetrieverUrl">A Search-R1 <c>/retrieve</c> server to ask instead of the world's local BM25 index; null: local.</param>
public sealed record SearchOptions(int TopK, int MaxTurns, string Searcher, int SearcherMaxTurns, int SearcherMaxTokens, string? RetrieverUrl)
{
    public const string ModelSearcher = "model";
    public const string ExtractiveSearcher = "extractive";
    public const string OracleSearcher = "oracle";

    public static SearchOptions Default { get; } = new(3, 4, ModelSearcher, 2, 400, null);

    private static readonly string[] FlatKeys = ["top_k", "max_turns", "retriever_url"];
    private static readonly string[] HierarchicalKeys = ["top_k", "max_turns", "searcher", "searcher_max_turns", "searcher_max_tokens", "retriever_url"];

    /// <summary>Whether a frozen searcher model is called (the <c>searcher</c> role is needed).</summary>
    public bool UsesSearcherModel => Searcher == ModelSearcher;

    /// <summary>flat_search's options checked and completed; errors name <paramref name="file"/> and the option's JSON path.</summary>
    public static JsonObject CheckFlat(JsonObject? options, string? file, string path) => Check(options, file, path, FlatKeys);

    /// <summary>thinker_searcher's options checked and completed; errors name <paramref name="file"/> and the option's JSON path.</summary>
    public static JsonObject CheckHierarchical(JsonObject? options, string? file, string path) => Check(options, file, path, HierarchicalKeys);

    /// <summary>The models.json roles a thinker_searcher composite names: the searcher only when <c>searcher</c> is <c>model</c>.</summary>
    public static IReadOnlyList<string> RolesFor(JsonObject options) =>
        From(options).UsesSearcherModel ? [StrategyCatalog.ThinkerRole, StrategyCatalog.SearcherRole] : [StrategyCatalog.ThinkerRole];

    /// <summary>Typed options from a checked (or raw) options object of either strategy.</summary>
    public static SearchOptions From(JsonObject options, string? file = null, string path = "$")
    {
        var c = Check(options, file, path, HierarchicalKeys);
        return new SearchOptions(
            (int)c["top_k"]!,
            (int)c["max_turns"]!,
            (string)c["searcher"]!,
            (int)c["searcher_max_turns"]!,
            (int)c["searcher_max_tokens"]!,
            c["retriever_url"] is { } url ? (string)url! : null);
    }

    private static JsonObject Check(JsonObject? options, string? file, string path, string[] keys)
    {
        var o = Default;
        foreach (var (key, value) in options ?? [])
        {
            var at = $"{path}.{key}";
            if (!keys.Contains(key)) throw new ConfigException(file, at, $"one of the options {string.Join(", ", keys)}", $"unknown option '{key}'");
            o = key switch
            {
                "top_k" => o with { TopK = (int)StrategyCatalog.Integer(value, file, at, 1, 10) },
                "max_turns" => o with { MaxTurns = (int)StrategyCatalog.Integer(value, file, at, 1, 16) },
                "searcher" => o with { Searcher = SearcherName(value, file, at) },
                "searcher_max_turns" => o with { SearcherMaxTurns = (int)StrategyCatalog.Integer(value, file, at, 1, 8) },
                "searcher_max_tokens" => o with { SearcherMaxTokens = (int)StrategyCatalog.Integer(value, file, at, 1, 8192) },
                _ => o with { RetrieverUrl = Url(value, file, at) },
            };
        }
        var checkedOptions = new JsonObject { ["top_k"] = o.TopK, ["max_turns"] = o.MaxTurns };
        if (keys == HierarchicalKeys)
        {
            checkedOptions["searcher"] = o.Searcher;
            checkedOptions["searcher_max_turns"] = o.SearcherMaxTurns;
            checkedOptions["searcher_max_tokens"] = o.SearcherMaxTokens;
        }
        if (o.RetrieverUrl is { } url) checkedOptions["retriever_url"] = url;
        return checkedOptions;
    }

    private static string SearcherName(JsonNode? node, string? file, string path) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is ModelSearcher or ExtractiveSearcher or OracleSearcher
            ? v.GetValue<string>()
            : throw new ConfigException(file, path, $"\"{ModelSearcher}\", \"{ExtractiveSearcher}\" or \"{OracleSearcher}\"", node?.ToJsonString() ?? "null");

    private static string Url(JsonNode? node, string? file, string path) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && Uri.TryCreate(v.GetValue<string>(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? v.GetValue<string>()
            : throw new ConfigException(file, path, "an http(s) URL of a /retrieve server, e.g. \"http://127.0.0.1:8000/retrieve\"", node?.ToJsonString() ?? "null");
}
