namespace HierReason.Core.Taxonomies;

/// <summary>
/// One node of a thought-type taxonomy (seed 000): a label the chooser picks, the description the reasoner is guided by,
/// its level (0 = most general; a child is one level below its parent), its children's ids, and example thoughts of the type.
/// Two nodes are equal when all their fields are, lists compared element by element.
/// </summary>
public sealed record ThoughtType(string Id, string Label, string Description, int Level, IReadOnlyList<string> Children, IReadOnlyList<string> Examples)
{
    public bool Equals(ThoughtType? other) =>
        other is not null && Id == other.Id && Label == other.Label && Description == other.Description && Level == other.Level
        && Children.SequenceEqual(other.Children) && Examples.SequenceEqual(other.Examples);

    public override int GetHashCode() => HashCode.Combine(Id, Label, Description, Level, Children.Count, Examples.Count);
}
