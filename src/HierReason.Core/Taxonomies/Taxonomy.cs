using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core.IO;

namespace HierReason.Core.Taxonomies;

/// <summary>
/// A tree of thought types (taxonomy.json): at a level, the chooser picks one of the level's labels or
/// <see cref="FinishLabel"/>. Loaded and checked by <see cref="Load"/> / <see cref="Parse"/>: every error names the file
/// and the JSON path (duplicate ids, unknown children, cycles, a child not one level below its parent, empty levels,
/// labels that collide within a level or with <see cref="FinishLabel"/>). A taxonomy built in code is checked the same way.
/// </summary>
public sealed class Taxonomy
{
    /// <summary>The choice that ends thinking (seed 000's "Finish thinking"); no node may use it as its label.</summary>
    public const string FinishLabel = "Finish thinking";

    /// <summary>What the chooser is told the <see cref="FinishLabel"/> choice means (seed 000's wording).</summary>
    public const string FinishDescription = "Finish thinking about the problem and answer.";

    /// <summary>Builds and checks a taxonomy; a broken one is a <see cref="ConfigException"/> with the path its JSON would have.</summary>
    public Taxonomy(string name, IReadOnlyList<ThoughtType> nodes) : this(name, nodes, null)
    {
    }

    /// <summary>Builds and checks a taxonomy; errors name <paramref name="file"/> as their source.</summary>
    public Taxonomy(string name, IReadOnlyList<ThoughtType> nodes, string? file)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(nodes);
        if (string.IsNullOrWhiteSpace(name)) throw new ConfigException(file, "$.name", "a non-empty name", $"'{name}'");
        TaxonomyRules.Check(nodes, file);
        Name = name;
        Nodes = nodes.ToArray();
    }

    /// <summary>What the taxonomy is called (taxonomy.json's <c>name</c>).</summary>
    public string Name { get; }

    /// <summary>Every node, in file order.</summary>
    public IReadOnlyList<ThoughtType> Nodes { get; }

    /// <summary>The deepest level (levels 0 … MaxLevel each hold at least one node).</summary>
    public int MaxLevel => Nodes.Count == 0 ? -1 : Nodes.Max(n => n.Level);

    /// <summary>The nodes of <paramref name="level"/>, in file order.</summary>
    public IReadOnlyList<ThoughtType> Level(int level) => Nodes.Where(n => n.Level == level).ToArray();

    /// <summary>The node with id <paramref name="id"/>; an unknown id is a bug of the caller (<see cref="KeyNotFoundException"/>).</summary>
    public ThoughtType Get(string id) => Nodes.FirstOrDefault(n => n.Id == id) ?? throw new KeyNotFoundException($"taxonomy '{Name}' has no node '{id}'");

    /// <summary>The parent of <paramref name="id"/>, or null for a level-0 node.</summary>
    public ThoughtType? ParentOf(string id) => Nodes.FirstOrDefault(n => n.Children.Contains(id));

    /// <summary>Reads and checks a taxonomy file; a malformed file is a <see cref="ConfigException"/> naming it and the path.</summary>
    public static Taxonomy Load(string file) => Parse(ConfigFileText.Read(file), file);

    /// <summary>Parses and checks taxonomy JSON (<paramref name="file"/> only names the source in errors).</summary>
    public static Taxonomy Parse(string json, string? file)
    {
        var (name, nodes) = TaxonomyReader.Read(json, file);
        return new Taxonomy(name, nodes, file);
    }

    /// <summary>
    /// The taxonomy as taxonomy.json text (indented; what <see cref="Parse"/> reads back equal), with <c>"$schema"</c> first
    /// when <paramref name="schema"/> is given (the path of schemas/taxonomy.schema.json relative to the file, for editors).
    /// </summary>
    public string ToJson(string? schema = null)
    {
        var nodes = new JsonArray();
        foreach (var n in Nodes)
        {
            nodes.Add(new JsonObject
            {
                ["id"] = n.Id,
                ["label"] = n.Label,
                ["description"] = n.Description,
                ["level"] = n.Level,
                ["children"] = new JsonArray(n.Children.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
                ["examples"] = new JsonArray(n.Examples.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray()),
            });
        }
        var root = new JsonObject { ["name"] = Name, ["nodes"] = nodes };
        if (schema is not null) root.Insert(0, Configs.ConfigAnnotations.SchemaKey, schema);
        return root.ToJsonString(WriteOptions) + "\n";
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> atomically (a reader never sees half a file).</summary>
    public void Write(string path, string? schema = null) => AtomicFile.WriteAllText(path, ToJson(schema));

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        // Examples hold arithmetic and quotes (3 + 4 = 7, 'r'): keep them readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
