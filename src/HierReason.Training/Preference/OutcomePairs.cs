namespace HierReason.Training.Preference;

/// <summary>
/// Seed 001's "vanilla DPO" pairs: for one prompt with several sampled solutions, every correct one against every
/// incorrect one (duplicate texts once), capped per item.
/// </summary>
public static class OutcomePairs
{
    /// <param name="samples">The item's sampled completions with whether each was scored correct.</param>
    /// <param name="maxPerItem">At most this many pairs; taken along the diagonals of the correct × incorrect grid, so a cap spreads over many solutions rather than pairing the first correct one with everything.</param>
    public static IReadOnlyList<PreferencePair> Build(string prompt, IEnumerable<(string Completion, bool Correct)> samples, int maxPerItem = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerItem);
        var list = samples.ToArray();
        var correct = list.Where(s => s.Correct).Select(s => s.Completion).Distinct(StringComparer.Ordinal).ToArray();
        var incorrect = list.Where(s => !s.Correct).Select(s => s.Completion).Distinct(StringComparer.Ordinal).ToArray();
        var grid = from i in Enumerable.Range(0, correct.Length)
                   from j in Enumerable.Range(0, incorrect.Length)
                   orderby i + j, i
                   select new PreferencePair(prompt, correct[i], incorrect[j]);
        return grid.Take(maxPerItem).ToArray();
    }
}
