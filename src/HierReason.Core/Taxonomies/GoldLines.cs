using System.Text.RegularExpressions;
using HierReason.Core.Tasks;

namespace HierReason.Core.Taxonomies;

/// <summary>
/// Where a default-taxonomy node's examples come from: the lines of <see cref="Task"/>'s gold traces (train split,
/// <see cref="DefaultTaxonomy.ExampleSeed"/>, the task's default config) that match <see cref="Pattern"/> in full.
/// </summary>
public sealed record GoldLines(string Task, string Pattern)
{
    /// <summary>The matching lines, trimmed, each once, in trace order (deterministic: fixed seed and count).</summary>
    public IReadOnlyList<string> Take(int count)
    {
        var regex = new Regex($"^(?:{Pattern})$", RegexOptions.CultureInvariant);
        var lines = new List<string>();
        foreach (var line in TraceLines(Task))
            if (regex.IsMatch(line) && !lines.Contains(line))
            {
                lines.Add(line);
                if (lines.Count == count) break;
            }
        return lines;
    }

    /// <summary>Every trimmed, non-empty line of the gold traces the examples are drawn from.</summary>
    public static IEnumerable<string> TraceLines(string task) =>
        TaskDataset.Create(task, Split.Train, DefaultTaxonomy.ExampleSeed, DefaultTaxonomy.ItemsPerTask)
            .SelectMany(item => item.Solution.Split('\n'))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0);
}
