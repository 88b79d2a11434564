namespace HierReason.Training.Runs;

/// <summary>
/// One per-step series of <c>training_curves.png</c>: the panel's title, the <c>metrics.jsonl</c> field (a dotted path such
/// as <c>reward.mean</c>), and whether it is noisy from step to step, so a smoothed line is drawn over the raw one.
/// </summary>
public sealed record CurveSeries(string Title, string Path, bool Smooth = true);
