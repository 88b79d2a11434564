namespace HierReason.Training.Prm;

/// <summary>
/// What a step's label is, from its state's c successes of K rollouts: <see cref="Hard"/> c &gt; 0 (Math-Shepherd's hard
/// estimation; TRL booleans), <see cref="Soft"/> c/K (soft estimation; floats), <see cref="Count"/> c (seed 001's value classes; ints).
/// </summary>
public enum LabelKind { Hard, Soft, Count }

/// <summary>Parsing and naming <see cref="LabelKind"/> as the CLI and the file spell it.</summary>
public static class LabelKinds
{
    public static string Name(LabelKind kind) => kind switch
    {
        LabelKind.Hard => "hard",
        LabelKind.Soft => "soft",
        LabelKind.Count => "count",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static LabelKind Parse(string text, string source) => text switch
    {
        "hard" => LabelKind.Hard,
        "soft" => LabelKind.Soft,
        "count" => LabelKind.Count,
        _ => throw new TrainingException($"{source}: expected hard, soft or count; found '{text}'"),
    };
}
