using System.Globalization;
using HierReason.Core.IO;

namespace HierReason.Core.Taxonomies;

/// <summary>
/// Turns seed 000's artifacts into a <see cref="Taxonomy"/>: the tree from <c>labeled_hierarchical_tree.gml</c> (edges
/// parent → child), labels and descriptions from <c>labels_and_descriptions.csv</c> (<c>label, description, level,
/// node_id</c>, node_id = the GML id; the CSV's own level is not used), else the GML node's own label and description and examples from <c>labeled_chunks__level-L.csv</c>
/// (<c>chunks, labels</c>). A node's level is its depth from the root; an unlabelled single root (no CSV row) is dropped,
/// so its children are level 0. Node ids are <c>n{gml id}</c>. The result passes <see cref="Taxonomy"/>'s checks.
/// </summary>
public static class SeedTaxonomyImporter
{
    /// <summary>Seed 000 keeps at most 30 chunks per label as the pool its examples are chosen from.</summary>
    public const int DefaultMaxExamples = 30;

    /// <summary>Seed 000's bounds on a usable chunk, in words.</summary>
    public const int MinExampleWords = 50;

    public const int MaxExampleWords = 400;

    /// <summary>A source file: its name (for errors) and its text.</summary>
    public sealed record Source(string File, string Text)
    {
        public static Source Read(string file) => new(file, ConfigFileText.Read(file));
    }

    /// <summary>Reads the files and imports them (<see cref="Import(string, Source, Source, IReadOnlyList{Source}, int)"/>).</summary>
    public static Taxonomy Import(string name, string gmlFile, string labelsFile, IReadOnlyList<string> chunkFiles, int maxExamples = DefaultMaxExamples) =>
        Import(name, Source.Read(gmlFile), Source.Read(labelsFile), chunkFiles.Select(Source.Read).ToArray(), maxExamples);

    public static Taxonomy Import(string name, Source gml, Source labels, IReadOnlyList<Source> chunks, int maxExamples = DefaultMaxExamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxExamples);
        var graph = GmlReader.Read(gml.Text, gml.File);
        var rows = LabelRows(CsvTable.Parse(labels.Text, labels.File), graph, gml.File);
        CheckAcyclic(graph, gml.File);
        var parent = Parents(graph, gml.File);

        var roots = graph.Nodes.Where(n => !parent.ContainsKey(n.Id)).ToList();
        var dropped = roots.Count == 1 && !rows.ContainsKey(roots[0].Id) ? roots[0].Id : (long?)null;
        var level = new Dictionary<long, int>();
        int Level(long id) => level.TryGetValue(id, out var l) ? l
            : level[id] = !parent.TryGetValue(id, out var p) ? 0 : p == dropped ? 0 : Level(p) + 1;

        var kept = graph.Nodes.Where(n => n.Id != dropped).OrderBy(n => Level(n.Id)).ToArray(); // stable: GML order within a level
        var texts = kept.ToDictionary(n => n.Id, n => Text(n, rows, gml.File, labels.File));
        var examples = Examples(chunks, maxExamples);
        var nodes = kept.Select(n => new ThoughtType(
            Id(n.Id), texts[n.Id].Label, texts[n.Id].Description, Level(n.Id),
            graph.Edges.Where(e => e.Source == n.Id).Select(e => Id(e.Target)).ToArray(),
            examples.TryGetValue(Key(texts[n.Id].Label), out var list) ? list : [])).ToArray();
        return new Taxonomy(name, nodes, $"{gml.File} (imported)");
    }

    private static string Id(long gmlId) => "n" + gmlId.ToString(CultureInfo.InvariantCulture);

    private static string Key(string label) => label.Trim().ToUpperInvariant();

    private sealed record LabelRow(string Label, string Description);

    private static Dictionary<long, (LabelRow Row, string Where)> LabelRows(CsvTable table, GmlGraph graph, string gmlFile)
    {
        int label = table.Column("label"), description = table.Column("description"), node = table.Column("node_id");
        table.Column("level");
        var ids = graph.Nodes.Select(n => n.Id).ToHashSet();
        var rows = new Dictionary<long, (LabelRow Row, string Where)>();
        foreach (var row in table.Rows)
        {
            var text = table.Field(row, node).Trim();
            if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d != decimal.Truncate(d) || Math.Abs(d) > long.MaxValue)
                throw new HierReasonException($"{table.File}: {row.Where}: expected an integer node_id; found '{text}'");
            var id = (long)d;
            if (!ids.Contains(id)) throw new HierReasonException($"{table.File}: {row.Where}: node_id {id} is not a node of {gmlFile}");
            if (rows.TryGetValue(id, out var first)) throw new HierReasonException($"{table.File}: {row.Where}: node_id {id} is also on {first.Where}");
            rows[id] = (new LabelRow(table.Field(row, label).Trim(), table.Field(row, description).Trim()), row.Where);
        }
        return rows;
    }

    private static LabelRow Text(GmlNode node, Dictionary<long, (LabelRow Row, string Where)> rows, string gmlFile, string labelsFile)
    {
        if (rows.TryGetValue(node.Id, out var r))
        {
            if (r.Row.Label.Length == 0) throw new HierReasonException($"{labelsFile}: {r.Where}: expected a label for node {node.Id}; found an empty field");
            if (r.Row.Description.Length == 0) throw new HierReasonException($"{labelsFile}: {r.Where}: expected a description for node {node.Id}; found an empty field");
            return r.Row;
        }
        // No row: the GML's own label and description, where it has both (networkx writes every node attribute).
        if (!string.IsNullOrWhiteSpace(node.Label) && !string.IsNullOrWhiteSpace(node.Description)) return new LabelRow(node.Label.Trim(), node.Description.Trim());
        throw new HierReasonException($"{labelsFile}: expected a row for node {node.Id} ({gmlFile} line {node.Line}{(node.Label is null ? "" : $", label '{node.Label}'")}); found none, and the GML gives it no label and description");
    }

    private static Dictionary<long, long> Parents(GmlGraph graph, string gmlFile)
    {
        var parent = new Dictionary<long, long>();
        var edgeOf = new Dictionary<long, GmlEdge>();
        foreach (var edge in graph.Edges)
        {
            if (edgeOf.TryGetValue(edge.Target, out var first) && first.Source != edge.Source)
                throw new HierReasonException($"{gmlFile}:{edge.Line}: expected a tree (one parent per node); found node {edge.Target} with parents {first.Source} (line {first.Line}) and {edge.Source}");
            parent[edge.Target] = edge.Source;
            edgeOf[edge.Target] = edge;
        }
        return parent;
    }

    // Depth-first over the edges; an edge back to a node still on the stack closes a cycle.
    private static void CheckAcyclic(GmlGraph graph, string gmlFile)
    {
        var children = graph.Edges.ToLookup(e => e.Source, e => e.Target);
        var state = new Dictionary<long, bool>(); // false: on the stack, true: done
        var stack = new List<long>();
        foreach (var node in graph.Nodes)
            if (!state.ContainsKey(node.Id)) Visit(node.Id);

        void Visit(long id)
        {
            state[id] = false;
            stack.Add(id);
            foreach (var child in children[id])
            {
                if (state.TryGetValue(child, out var done) && !done)
                {
                    var cycle = stack.Skip(stack.IndexOf(child)).Append(child);
                    throw new HierReasonException($"{gmlFile}: expected a tree without cycles; found the cycle {string.Join(" -> ", cycle)} (GML node ids, parent -> child)");
                }
                if (!state.ContainsKey(child)) Visit(child);
            }
            stack.RemoveAt(stack.Count - 1);
            state[id] = true;
        }
    }

    private static Dictionary<string, List<string>> Examples(IReadOnlyList<Source> files, int max)
    {
        var byLabel = new Dictionary<string, List<string>>();
        foreach (var source in files)
        {
            var table = CsvTable.Parse(source.Text, source.File);
            int chunk = table.Column("chunks"), label = table.Column("labels");
            foreach (var row in table.Rows)
            {
                var text = table.Field(row, chunk).Trim();
                var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
                if (words is < MinExampleWords or > MaxExampleWords) continue;
                var key = Key(table.Field(row, label));
                if (!byLabel.TryGetValue(key, out var list)) byLabel[key] = list = [];
                if (list.Count < max && !list.Contains(text)) list.Add(text);
            }
        }
        return byLabel;
    }
}
