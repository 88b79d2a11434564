using HierReason.Core.Results;

namespace HierReason.Harness.Pipeline;

/// <summary>A run folder aggregated: the summary, and the files written from it (the all-tasks results JSON first).</summary>
public sealed record CollectedResults(BenchmarkSummary Summary, IReadOnlyList<string> Files);
