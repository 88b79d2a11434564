namespace HierReason.Training.Sft;

/// <summary>
/// Length bucketing of SFT batches. A window of consecutive training examples (a few steps' worth) is sorted by task and
/// then by length and cut into batches, so a batch holds one task's examples of similar length: its rows share the task's
/// whole instruction (which <see cref="SftForward"/> runs once) and pad little. The batches then train in a seeded random
/// order. Every example of the window is trained within the window's steps, so each task keeps its share of every window
/// (no task waits more than one window), and the data order moves by at most a window.
/// </summary>
public static class SftBuckets
{
    /// <summary>
    /// The window's examples as batches of <paramref name="batchSize"/> in training order, a fixed function of the examples
    /// and <paramref name="seed"/>. Ties keep the window's order.
    /// </summary>
    public static IReadOnlyList<SftExample[]> Batches(IReadOnlyList<(string Task, SftExample Example)> window, int batchSize, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var sorted = window
            .Select((entry, index) => (entry.Task, entry.Example, index))
            .OrderBy(e => e.Task, StringComparer.Ordinal)
            .ThenByDescending(e => e.Example.Ids.Length)
            .ThenBy(e => e.index)
            .Select(e => e.Example)
            .ToArray();
        var batches = sorted.Chunk(batchSize).ToArray();
        // Fisher–Yates with splitmix64: the same order on every machine and .NET version.
        var state = seed;
        for (var i = batches.Length - 1; i > 0; i--)
        {
            var j = (int)(Next(ref state) % (ulong)(i + 1));
            (batches[i], batches[j]) = (batches[j], batches[i]);
        }
        return batches;
    }

    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
