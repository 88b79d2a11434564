namespace HierReason.Training.Rewards;

/// <summary>
/// Partial credit for the worked steps: the fraction of the gold solution's lines (its <c>&lt;answer&gt;</c> line left
/// out) that the completion writes verbatim, each completion line matching at most one gold line. A process reward from
/// the task's own verified trace: it tells apart two wrong answers when one of them got most steps right, and it pays
/// nothing for skipping the steps. 0 when the item has no solution trace.
/// </summary>
public sealed class TraceReward : IRewardFunction
{
    public string Name => "trace";

    public double Score(RewardContext ctx)
    {
        var gold = Lines(ctx.Item.Solution).Where(line => !line.Contains("<answer>", StringComparison.Ordinal)).ToList();
        if (gold.Count == 0) return 0.0;
        var written = Lines(ctx.Completion).GroupBy(line => line, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var matched = 0;
        foreach (var line in gold)
        {
            if (!written.TryGetValue(line, out var left) || left == 0) continue;
            written[line] = left - 1;
            matched++;
        }
        return (double)matched / gold.Count;
    }

    private static IEnumerable<string> Lines(string? text) =>
        (text ?? "").Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0);
}
