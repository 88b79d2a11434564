using HierReason.Engine.Prm;

namespace HierReason.Training.Prm;

/// <summary>
/// One line of TRL's stepwise-supervision format: a prompt, its steps, and one label per step (a bool as 0/1, a soft label in
/// [0, 1], or a class id when the PRM has more than two classes); <see cref="Labels"/> is null for unlabelled data to score.
/// </summary>
public sealed record StepwiseExample(string Prompt, IReadOnlyList<string> Steps, IReadOnlyList<double>? Labels)
{
    public Trajectory Trajectory => new(Prompt, Steps);
}
