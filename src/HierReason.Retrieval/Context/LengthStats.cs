namespace HierReason.Retrieval.Context;

/// <summary>Lengths in tokens (bytes for the tiny byte tokenizer) of one text over a set of items: mean, max, and the share over a budget.</summary>
public sealed record LengthStats(double Mean, int Max, double OverBudget)
{
    /// <summary>The stats of <paramref name="lengths"/> (at least one) against <paramref name="budget"/> positions.</summary>
    public static LengthStats Of(IReadOnlyCollection<int> lengths, int budget)
    {
        if (lengths.Count == 0) throw new ArgumentException("no lengths", nameof(lengths));
        return new LengthStats(lengths.Average(), lengths.Max(), lengths.Count(l => l > budget) / (double)lengths.Count);
    }
}
