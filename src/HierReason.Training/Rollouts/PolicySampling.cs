namespace HierReason.Training.Rollouts;

/// <summary>How a <see cref="LocalPolicy"/> samples: temperature (0 = greedy), top-p, top-k, and user stop strings that end an episode's text.</summary>
public sealed record PolicySampling(double Temperature = 1.0, double TopP = 1.0, int TopK = 0)
{
    /// <summary>Text that ends a turn; the turn's text is cut before it (models.json <c>generation.stop</c>).</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Finished rows leave a generation batch once fewer than this fraction is alive (<see cref="HierReason.Engine.Generation.GenerationOptions.CompactBelow"/>).</summary>
    public double CompactBelow { get; init; } = HierReason.Engine.Generation.GenerationOptions.DefaultCompactBelow;

    /// <summary>Prefill the prompts' common start once for all rows (<see cref="HierReason.Engine.Generation.GenerationOptions.SharePromptPrefix"/>).</summary>
    public bool SharePromptPrefix { get; init; } = true;
}
