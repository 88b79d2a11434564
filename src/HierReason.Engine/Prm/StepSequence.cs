using HierReason.Engine.Tokenizers;

namespace HierReason.Engine.Prm;

/// <summary>
/// One trajectory as a PRM reads it, tokenised as TRL's PRMTrainer does: [bos] + prompt, then each step followed by the
/// separator (each piece encoded on its own), cut at <c>max_length</c>. Step t is labelled at the last token of its
/// separator; <see cref="LabelPositions"/> holds those indices for the steps that survived the cut.
/// </summary>
/// <param name="Ids">The token ids, at most max_length of them.</param>
/// <param name="LabelPositions">Index of the token ending step t, for t &lt; the number of steps that fit.</param>
/// <param name="TotalSteps">Steps in the trajectory, kept or cut.</param>
public sealed record StepSequence(int[] Ids, int[] LabelPositions, int TotalSteps)
{
    /// <summary>TRL's default <c>step_separator</c>: one line is one step.</summary>
    public const string DefaultSeparator = "\n";

    /// <summary>TRL's default <c>max_length</c>.</summary>
    public const int DefaultMaxLength = 1024;

    /// <summary>Steps whose label position fell past max_length (their scores are unknown).</summary>
    public int TruncatedSteps => TotalSteps - LabelPositions.Length;

    /// <summary>Tokenises <paramref name="prompt"/> and <paramref name="steps"/>; a step with no tokens still ends at its separator.</summary>
    public static StepSequence Build(ITokenizer tokenizer, string prompt, IReadOnlyList<string> steps, string separator = DefaultSeparator, int maxLength = DefaultMaxLength)
    {
        if (maxLength < 1) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "max_length must be positive");
        var separatorIds = tokenizer.Encode(separator);
        if (separatorIds.Length == 0) throw new EngineException($"the step separator {Quote(separator)} encodes to no tokens");
        var ids = new List<int>();
        if (tokenizer.BosId is { } bos) ids.Add(bos);
        ids.AddRange(tokenizer.Encode(prompt));
        var positions = new List<int>();
        foreach (var step in steps)
        {
            ids.AddRange(tokenizer.Encode(step));
            ids.AddRange(separatorIds);
            if (ids.Count <= maxLength) positions.Add(ids.Count - 1);
        }
        var kept = ids.Count <= maxLength ? ids.ToArray() : ids.GetRange(0, maxLength).ToArray();
        return new StepSequence(kept, positions.ToArray(), steps.Count);
    }

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
