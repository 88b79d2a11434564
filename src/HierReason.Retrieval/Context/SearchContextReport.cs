using System.Globalization;
using System.Text;

namespace HierReason.Retrieval.Context;

/// <summary>
/// How long a searching episode of <c>multi_hop_lookup</c> grows in a model's context when each search inserts the flat
/// top-k BM25 passages (Search-R1) or only the sentence a searcher would return (seed 004's summary).
/// </summary>
public sealed record SearchContextReport(string Task, string Split, int N, int K, int Positions, string Tokens, IReadOnlyList<SearchContextLevel> Levels)
{
    /// <summary>A markdown table: one row per (level, step), mean / max lengths and the share of items past the budget.</summary>
    public string ToMarkdown()
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"Search context: {Task} {Split}, n {N} per level, flat = top-{K} BM25 passages, summary = the hop's sentence; tokens = {Tokens}; over = share of items past {Positions} positions\n\n");
        b.Append("| level | after | flat mean | flat max | flat over | summary mean | summary max | summary over |\n");
        b.Append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var level in Levels)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{level.Level} ({level.Hops} hop{(level.Hops == 1 ? "" : "s")}{(level.Comparison ? ", comparison" : "")})");
            b.Append(CultureInfo.InvariantCulture, $"| {name} | prompt | {level.Prompt.Mean:F0} | {level.Prompt.Max} | {level.Prompt.OverBudget:P0} | {level.Prompt.Mean:F0} | {level.Prompt.Max} | {level.Prompt.OverBudget:P0} |\n");
            foreach (var s in level.Steps)
            {
                var after = s.Hop == 0 ? "answer" : string.Create(CultureInfo.InvariantCulture, $"hop {s.Hop}");
                b.Append(CultureInfo.InvariantCulture, $"| | {after} | {s.Flat.Mean:F0} | {s.Flat.Max} | {s.Flat.OverBudget:P0} | {s.Summary.Mean:F0} | {s.Summary.Max} | {s.Summary.OverBudget:P0} |\n");
            }
        }
        return b.ToString();
    }
}
