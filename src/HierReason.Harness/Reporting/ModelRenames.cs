using System.Text.Json.Nodes;
using HierReason.Core;

namespace HierReason.Harness.Reporting;

/// <summary>Display names for models on charts: <c>--rename old=new</c> pairs and a JSON rename file (<c>{"old": "new"}</c>).</summary>
public sealed class ModelRenames
{
    private readonly Dictionary<string, string> _map;

    public static ModelRenames None { get; } = new(new Dictionary<string, string>());

    public ModelRenames(IReadOnlyDictionary<string, string> map) => _map = new Dictionary<string, string>(map, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Map => _map;

    /// <summary>Refuses a rename of a model <paramref name="models"/> does not have (a typo would silently rename nothing).</summary>
    public void CheckKnown(IReadOnlyCollection<string> models, string file)
    {
        var unknown = _map.Keys.Where(m => !models.Contains(m)).Order(StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
            throw new HierReasonException($"--rename: {file} has no model {string.Join(", ", unknown.Select(m => $"'{m}'"))} (its models: {string.Join(", ", models)})");
    }

    /// <summary>The display name of a model: its new name when renamed, else itself.</summary>
    public string Apply(string model) => _map.TryGetValue(model, out var renamed) ? renamed : model;

    /// <summary>
    /// Combines a rename file (read first) and <c>old=new</c> pairs (which win over the file).
    /// </summary>
    /// <exception cref="HierReasonException">A pair without '=' or with an empty side; a rename file that is not an object of strings.</exception>
    public static ModelRenames Parse(IEnumerable<string>? pairs, string? renameFile)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (renameFile is not null)
        {
            var root = ResultsFile.ReadObject(renameFile, "a JSON object of model renames {\"old name\": \"new name\", …}");
            foreach (var (key, value) in root)
            {
                if (value is not JsonValue v || !v.TryGetValue<string>(out var name) || string.IsNullOrWhiteSpace(name))
                    throw new ConfigException(renameFile, $"$['{key}']", "the new display name (a non-empty string)", value?.ToJsonString() ?? "null");
                map[key] = name;
            }
        }
        foreach (var pair in pairs ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == pair.Length - 1)
                throw new HierReasonException($"--rename: expected old=new (both names non-empty); found '{pair}'");
            map[pair[..eq]] = pair[(eq + 1)..];
        }
        return new ModelRenames(map);
    }
}
