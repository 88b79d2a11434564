namespace HierReason.Training.Sft;

/// <summary>
/// Rows of an SFT batch that share more than the batch's common prefix (one task's instruction and question stem, in a
/// batch mixing tasks): <paramref name="Extra"/> more leading inputs that run once for the group, and the group's own
/// input width (its longest row), to which only its rows are padded.
/// </summary>
/// <param name="Rows">Batch rows of the group, in batch order.</param>
/// <param name="Extra">Inputs after the batch's shared prefix that every row of the group shares (0: none worth a call).</param>
/// <param name="Width">The group's longest row, in inputs.</param>
public sealed record SftRowGroup(int[] Rows, int Extra, int Width)
{
    /// <summary>
    /// Groups <paramref name="examples"/> by the token that follows their <paramref name="shared"/> common inputs; a group
    /// whose rows share fewer than <paramref name="minExtra"/> further prompt tokens joins one group without an extra prefix.
    /// </summary>
    public static IReadOnlyList<SftRowGroup> Plan(IReadOnlyList<SftExample> examples, int shared, int minExtra)
    {
        var plain = new List<int>();
        var groups = new List<SftRowGroup>();
        foreach (var key in Enumerable.Range(0, examples.Count).GroupBy(r => examples[r].Ids[shared]).OrderBy(g => g.Min()))
        {
            var rows = key.ToArray();
            var extra = rows.Length < 2 ? 0 : CommonLength(rows.Select(r => examples[r]).ToArray(), shared);
            if (extra < minExtra) plain.AddRange(rows);
            else groups.Add(new SftRowGroup(rows, extra, LongestInput(examples, rows)));
        }
        if (plain.Count > 0) groups.Add(new SftRowGroup(plain.Order().ToArray(), 0, LongestInput(examples, plain)));
        return groups;
    }

    private static int LongestInput(IReadOnlyList<SftExample> examples, IEnumerable<int> rows) => rows.Max(r => examples[r].Ids.Length) - 1;

    // Inputs from `start` on that all rows share and that stay inside every prompt (input t predicts target t; loss starts at PromptLength − 1).
    private static int CommonLength(IReadOnlyList<SftExample> rows, int start)
    {
        var limit = rows.Min(e => e.PromptLength) - 1;
        var first = rows[0].Ids;
        var end = start;
        while (end < limit && rows.All(e => e.Ids[end] == first[end])) end++;
        return end - start;
    }
}
