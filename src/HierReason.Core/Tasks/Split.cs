namespace HierReason.Core.Tasks;

/// <summary>A dataset split. Splits partition each task's question space, so they never share an item.</summary>
public enum Split
{
    Train = 0,
    Validation = 1,
    Test = 2,
}

/// <summary>Parsing and naming of <see cref="Split"/> values as users write them.</summary>
public static class Splits
{
    public static string Name(this Split split) => split switch
    {
        Split.Train => "train",
        Split.Validation => "validation",
        Split.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(split)),
    };

    public static bool TryParse(string? text, out Split split)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "train": split = Split.Train; return true;
            case "validation" or "val" or "valid" or "dev": split = Split.Validation; return true;
            case "test": split = Split.Test; return true;
            default: split = Split.Train; return false;
        }
    }

    public static Split Parse(string text) => TryParse(text, out var s)
        ? s
        : throw new HierReasonException($"unknown split '{text}': expected train, validation or test");
}
