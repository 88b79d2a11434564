namespace HierReason.Core.Taxonomies;

/// <summary>A graph read by <see cref="GmlReader"/>: its nodes in file order and its edges (source → target).</summary>
public sealed record GmlGraph(IReadOnlyList<GmlNode> Nodes, IReadOnlyList<GmlEdge> Edges);

/// <summary>A GML node: its integer id, its label (null when it has none) and the line it starts on.</summary>
public sealed record GmlNode(long Id, string? Label, int Line)
{
    /// <summary>The node's <c>description</c> attribute, where the GML carries one.</summary>
    public string? Description { get; init; }
}

/// <summary>A GML edge from <see cref="Source"/> to <see cref="Target"/>, and the line it starts on.</summary>
public sealed record GmlEdge(long Source, long Target, int Line);
