namespace HierReason.Core.Taxonomies;

/// <summary>
/// One node of a thought-type taxonomy (seed 000): a label the chooser picks, the description the reasoner is guided by,
/// its level (0 = most general; a child is one level below its parent), its children's ids, and example thoughts of the type.
/// </summary>
public sealed record ThoughtType(string Id, string Label, string Description, int Level, IReadOnlyList<string> Children, IReadOnlyList<string> Examples);
