namespace HierReason.Core.Perf;

/// <summary>
/// reasoning-gym's single-core throughput (generate + score gold, items/s), measured with its Python
/// implementation on this machine class; the product promises at least <see cref="TargetRatio"/> times these.
/// </summary>
public static class ReasoningGymReference
{
    public const double TargetRatio = 20.0;

    public const string Provenance =
        "reasoning-gym (Python) single-core generate + score gold, items/s, measured on this machine class";

    private static readonly Dictionary<string, double> ItemsPerSecond = new(StringComparer.Ordinal)
    {
        ["chain_sum"] = 62_000,
        ["letter_counting"] = 63_000,
        ["leg_counting"] = 49_000,
        ["shortest_path"] = 23_000,
        ["basic_arithmetic"] = 3_900,
        ["mini_sudoku"] = 1_700,
    };

    /// <summary>reasoning-gym's items/s for <paramref name="task"/>, or null when there is no figure.</summary>
    public static double? For(string task) => ItemsPerSecond.TryGetValue(task, out var v) ? v : null;
}
