namespace HierReason.Core.Taxonomies;

/// <summary>
/// A tree of thought types (taxonomy.json): at a level, the chooser picks one of the level's labels or
/// <see cref="FinishLabel"/>. Loaded and checked by <see cref="Load"/> / <see cref="Parse"/>: every error names the file
/// and the JSON path (duplicate ids, unknown children, cycles, a child not one level below its parent, empty levels,
/// labels that collide within a level or with <see cref="FinishLabel"/>).
/// </summary>
public sealed class Taxonomy
{
    /// <summary>The choice that ends thinking (seed 000's "Finish thinking"); no node may use it as its label.</summary>
    public const string FinishLabel = "Finish thinking";

    public const string FinishDescription = "Finish thinking about the problem and answer.";

    public Taxonomy(string name, IReadOnlyList<ThoughtType> nodes)
    {
        Name = name;
        Nodes = nodes;
    }

    public string Name { get; }

    /// <summary>Every node, in file order.</summary>
    public IReadOnlyList<ThoughtType> Nodes { get; }

    /// <summary>The deepest level (levels 0 … MaxLevel each hold at least one node).</summary>
    public int MaxLevel => Nodes.Count == 0 ? -1 : Nodes.Max(n => n.Level);

    /// <summary>The nodes of <paramref name="level"/>, in file order.</summary>
    public IReadOnlyList<ThoughtType> Level(int level) => Nodes.Where(n => n.Level == level).ToArray();

    public ThoughtType Get(string id) => Nodes.FirstOrDefault(n => n.Id == id) ?? throw new KeyNotFoundException($"taxonomy '{Name}' has no node '{id}'");

    /// <summary>Reads and checks a taxonomy file; a malformed file is a <see cref="ConfigException"/> naming it and the path.</summary>
    public static Taxonomy Load(string file) => throw new NotImplementedException();

    /// <summary>Parses and checks taxonomy JSON (<paramref name="file"/> only names the source in errors).</summary>
    public static Taxonomy Parse(string json, string? file) => throw new NotImplementedException();

    /// <summary>The taxonomy as taxonomy.json text (indented; what <see cref="Parse"/> reads back equal).</summary>
    public string ToJson() => throw new NotImplementedException();
}
