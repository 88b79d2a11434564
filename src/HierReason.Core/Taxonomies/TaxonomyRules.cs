namespace HierReason.Core.Taxonomies;

/// <summary>
/// What a taxonomy's nodes must satisfy, each failure a <see cref="ConfigException"/> at the JSON path of the node
/// (<c>$.nodes[i]…</c>, in list order) that breaks it: well-formed fields, unique ids, children that exist, no cycle,
/// no empty level, one parent per node, a child exactly one level below its parent, a parent for every node below level 0,
/// and labels that collide neither within a level nor with <see cref="Taxonomy.FinishLabel"/>.
/// </summary>
internal static class TaxonomyRules
{
    /// <summary>The longest label: the chooser reads labels as options, and seed 000's are a few words.</summary>
    public const int MaxLabelLength = 80;

    public static void Check(IReadOnlyList<ThoughtType> nodes, string? file)
    {
        if (nodes.Count == 0) throw new ConfigException(file, "$.nodes", "a non-empty list of nodes", "[]");
        for (var i = 0; i < nodes.Count; i++) CheckFields(nodes[i], file, $"$.nodes[{i}]");
        var indexOf = UniqueIds(nodes, file);
        CheckChildrenExist(nodes, indexOf, file);
        CheckNoCycle(nodes, indexOf, file);
        CheckNoEmptyLevel(nodes, file);
        var parentOf = CheckOneParent(nodes, indexOf, file);
        CheckChildLevels(nodes, indexOf, file);
        for (var i = 0; i < nodes.Count; i++)
            if (nodes[i].Level > 0 && !parentOf.ContainsKey(i))
                throw new ConfigException(file, $"$.nodes[{i}]", $"a parent for '{nodes[i].Id}' at level {nodes[i].Level} (a node of level {nodes[i].Level - 1} listing it in its children)", "no node lists it");
        CheckLabelsDistinct(nodes, file);
    }

    private static void CheckFields(ThoughtType node, string? file, string path)
    {
        if (node is null) throw new ConfigException(file, path, "a node", "null");
        if (string.IsNullOrEmpty(node.Id) || node.Id.Any(char.IsWhiteSpace))
            throw new ConfigException(file, $"{path}.id", "a non-empty id without whitespace", $"'{node.Id}'");
        var label = node.Label ?? "";
        if (label.Trim().Length == 0) throw new ConfigException(file, $"{path}.label", "a non-empty label", $"'{label}'");
        if (label.Length > MaxLabelLength)
            throw new ConfigException(file, $"{path}.label", $"a label of at most {MaxLabelLength} characters", $"{label.Length} characters");
        if (label.Contains('\n') || label.Contains('\r'))
            throw new ConfigException(file, $"{path}.label", "a label on a single line", "a line break");
        if (string.Equals(label.Trim(), Taxonomy.FinishLabel, StringComparison.OrdinalIgnoreCase))
            throw new ConfigException(file, $"{path}.label", $"a label other than '{Taxonomy.FinishLabel}' (the choice that ends thinking; labels that collide with it are refused)", $"'{label}'");
        if (string.IsNullOrWhiteSpace(node.Description))
            throw new ConfigException(file, $"{path}.description", "a non-empty description", $"'{node.Description}'");
        if (node.Level < 0) throw new ConfigException(file, $"{path}.level", "an integer level ≥ 0", node.Level.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (node.Children is null) throw new ConfigException(file, $"{path}.children", "a list of ids", "null");
        if (node.Examples is null) throw new ConfigException(file, $"{path}.examples", "a list of strings", "null");
        for (var j = 0; j < node.Examples.Count; j++)
            if (string.IsNullOrWhiteSpace(node.Examples[j]))
                throw new ConfigException(file, $"{path}.examples[{j}]", "a non-empty example", $"'{node.Examples[j]}'");
    }

    private static Dictionary<string, int> UniqueIds(IReadOnlyList<ThoughtType> nodes, string? file)
    {
        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
            if (!indexOf.TryAdd(nodes[i].Id, i))
                throw new ConfigException(file, $"$.nodes[{i}].id", $"a unique id; '{nodes[i].Id}' is also $.nodes[{indexOf[nodes[i].Id]}].id");
        return indexOf;
    }

    private static void CheckChildrenExist(IReadOnlyList<ThoughtType> nodes, Dictionary<string, int> indexOf, string? file)
    {
        for (var i = 0; i < nodes.Count; i++)
            for (var j = 0; j < nodes[i].Children.Count; j++)
                if (nodes[i].Children[j] is not { } child || !indexOf.ContainsKey(child))
                    throw new ConfigException(file, $"$.nodes[{i}].children[{j}]", "the id of a node in this taxonomy", $"'{nodes[i].Children[j]}'");
    }

    // Depth-first over the children edges; an edge back to a node still on the stack closes a cycle.
    private static void CheckNoCycle(IReadOnlyList<ThoughtType> nodes, Dictionary<string, int> indexOf, string? file)
    {
        var state = new byte[nodes.Count]; // 0 unvisited, 1 on the stack, 2 done
        var stack = new List<int>();
        for (var start = 0; start < nodes.Count; start++)
            if (state[start] == 0) Visit(start);

        void Visit(int i)
        {
            state[i] = 1;
            stack.Add(i);
            for (var j = 0; j < nodes[i].Children.Count; j++)
            {
                var c = indexOf[nodes[i].Children[j]];
                if (state[c] == 1)
                {
                    var cycle = stack.Skip(stack.IndexOf(c)).Append(c).Select(k => nodes[k].Id);
                    throw new ConfigException(file, $"$.nodes[{i}].children[{j}]", "a tree without cycles", $"the cycle {string.Join(" -> ", cycle)}");
                }
                if (state[c] == 0) Visit(c);
            }
            stack.RemoveAt(stack.Count - 1);
            state[i] = 2;
        }
    }

    private static void CheckNoEmptyLevel(IReadOnlyList<ThoughtType> nodes, string? file)
    {
        var max = nodes.Max(n => n.Level);
        var present = nodes.Select(n => n.Level).ToHashSet();
        for (var level = 0; level <= max; level++)
            if (!present.Contains(level))
                throw new ConfigException(file, "$.nodes", $"a node at every level from 0 to {max}", $"an empty level {level}");
    }

    private static Dictionary<int, (int Parent, int Slot)> CheckOneParent(IReadOnlyList<ThoughtType> nodes, Dictionary<string, int> indexOf, string? file)
    {
        var parentOf = new Dictionary<int, (int Parent, int Slot)>();
        for (var i = 0; i < nodes.Count; i++)
            for (var j = 0; j < nodes[i].Children.Count; j++)
            {
                var c = indexOf[nodes[i].Children[j]];
                if (parentOf.TryGetValue(c, out var first))
                    throw new ConfigException(file, $"$.nodes[{i}].children[{j}]", "a child with one parent",
                        $"'{nodes[c].Id}' is also a child of '{nodes[first.Parent].Id}' ($.nodes[{first.Parent}].children[{first.Slot}])");
                parentOf[c] = (i, j);
            }
        return parentOf;
    }

    private static void CheckChildLevels(IReadOnlyList<ThoughtType> nodes, Dictionary<string, int> indexOf, string? file)
    {
        for (var i = 0; i < nodes.Count; i++)
            for (var j = 0; j < nodes[i].Children.Count; j++)
            {
                var c = indexOf[nodes[i].Children[j]];
                if (nodes[c].Level != nodes[i].Level + 1)
                    throw new ConfigException(file, $"$.nodes[{i}].children[{j}]", $"a child at level {nodes[i].Level + 1} (one below '{nodes[i].Id}' at level {nodes[i].Level})",
                        $"'{nodes[c].Id}' at level {nodes[c].Level} ($.nodes[{c}].level)");
            }
    }

    private static void CheckLabelsDistinct(IReadOnlyList<ThoughtType> nodes, string? file)
    {
        var seen = new Dictionary<(int Level, string Label), int>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var key = (nodes[i].Level, nodes[i].Label.Trim().ToUpperInvariant());
            if (seen.TryGetValue(key, out var first))
                throw new ConfigException(file, $"$.nodes[{i}].label", $"a label distinct within level {nodes[i].Level}, ignoring case (labels that collide cannot be told apart by the chooser)",
                    $"'{nodes[i].Label}', which collides with '{nodes[first].Label}' ($.nodes[{first}].label)");
            seen[key] = i;
        }
    }
}
