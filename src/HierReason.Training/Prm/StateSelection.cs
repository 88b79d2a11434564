using System.IO.Hashing;
using System.Text;

namespace HierReason.Training.Prm;

/// <summary>
/// Which steps of a trajectory become states (seed 001's <c>sample_react_inter_states</c>): the step at ⌊steps·ratio_s⌋,
/// then each later step with probability ratio. The draw is seeded by (seed, item, sample) alone, so it does not depend
/// on batching or on a resumed run.
/// </summary>
public static class StateSelection
{
    /// <summary>The 0-based step indices that are states, ascending; every step with <paramref name="allSteps"/>.</summary>
    public static IReadOnlyList<int> Choose(int steps, double ratioS, double ratio, bool allSteps, Random rng)
    {
        if (steps <= 0) return [];
        if (allSteps) return Enumerable.Range(0, steps).ToArray();
        var first = Math.Min(steps - 1, (int)Math.Floor(steps * ratioS));
        var chosen = new List<int> { first };
        for (var j = first + 1; j < steps; j++)
            if (rng.NextDouble() < ratio) chosen.Add(j);
        return chosen;
    }

    /// <summary>The generator for one trajectory's draw.</summary>
    public static Random RngFor(long seed, string itemId, int sample)
    {
        var hash = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes($"{seed}\0{itemId}\0{sample}"));
        return new Random((int)(hash ^ (hash >> 32)));
    }
}
