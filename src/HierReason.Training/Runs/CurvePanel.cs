namespace HierReason.Training.Runs;

/// <summary>One panel of <c>training_curves.png</c>: a title and its lines (raw and smoothed, or one per task).</summary>
public sealed record CurvePanel(string Title, IReadOnlyList<CurveLine> Lines);
