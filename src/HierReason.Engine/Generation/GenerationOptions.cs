namespace HierReason.Engine.Generation;

/// <summary>How to sample completions: length, temperature (0 = greedy), top-k/top-p, samples per prompt and seed.</summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 256;
    /// <summary>Softmax temperature; 0 picks the most likely token (greedy).</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Keep only the k most likely tokens; 0 = no limit.</summary>
    public int TopK { get; init; }
    /// <summary>Keep the smallest set of tokens whose probability reaches p; 1 = no limit.</summary>
    public double TopP { get; init; } = 1.0;
    /// <summary>Completions per prompt (GRPO's group size); the prompt is prefilled once and shared.</summary>
    public int NumSamples { get; init; } = 1;
    /// <summary>Seed of the sampling generator; runs with the same seed reproduce on CPU. Null = torch's global generator.</summary>
    public long? Seed { get; init; }
    /// <summary>Tokens that end a completion (kept as its last token); empty = the model config's eos_token_id.</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    /// <summary>Filler id for padding positions; never attended to.</summary>
    public int PadTokenId { get; init; }
    /// <summary>
    /// Finished rows leave the batch (and the KV cache) once the alive rows fall below this fraction of the batch, so
    /// decoding stops paying for completions that have ended; 0 keeps every row to the end. Greedy results do not depend
    /// on it; seeded sampling stays reproducible for a given value, but draws other samples than with another value.
    /// </summary>
    public double CompactBelow { get; init; } = DefaultCompactBelow;

    /// <summary>Run the prompts' common start (a chat header, an instruction) once for all of them (<see cref="PromptPrefill"/>); false prefills every row whole.</summary>
    public bool SharePromptPrefix { get; init; } = true;

    /// <summary>
    /// The default of <see cref="CompactBelow"/>: each compaction drops at least a quarter of the rows (at most 17 cache copies
    /// for 128 rows, each smaller than the last); on GRPO rollouts of the tiny model it decoded 2.1–2.3× as many tokens/s as
    /// keeping every row, 0.5 1.7–1.8× and 0.9 no better than 0.75 (docs/PERFORMANCE.md).
    /// </summary>
    public const double DefaultCompactBelow = 0.75;

    /// <summary>Throws <see cref="EngineException"/> for values no sampler can honour.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 1) throw new EngineException($"generation: max_new_tokens must be at least 1 (found {MaxNewTokens})");
        if (Temperature < 0 || double.IsNaN(Temperature)) throw new EngineException($"generation: temperature must be >= 0 (found {Temperature})");
        if (TopK < 0) throw new EngineException($"generation: top_k must be >= 0 (found {TopK})");
        if (!(TopP > 0 && TopP <= 1)) throw new EngineException($"generation: top_p must be in (0, 1] (found {TopP})");
        if (!(CompactBelow >= 0 && CompactBelow <= 1)) throw new EngineException($"generation: compact_below must be in [0, 1] (found {CompactBelow})");
        if (NumSamples < 1) throw new EngineException($"generation: num_samples must be at least 1 (found {NumSamples})");
    }
}
