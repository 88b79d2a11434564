namespace HierReason.Training.Runs;

/// <summary>One line of a <c>training_curves.png</c> panel: its legend label, its points (step, value), colour (hex), width and whether points get markers.</summary>
public sealed record CurveLine(string Label, IReadOnlyList<double> Xs, IReadOnlyList<double> Ys, string Colour, float Width, bool Markers);
