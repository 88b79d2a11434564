using HierReason.Engine.Generation;

namespace HierReason.Engine.Inference;

/// <summary>How to sample text completions: samples per prompt, temperature (0 = greedy), top-p/top-k, length, stop strings and seed.</summary>
public sealed record TextGenerationSettings
{
    /// <summary>Completions per prompt (GRPO's group size); the prompt is prefilled once and shared.</summary>
    public int N { get; init; } = 1;
    /// <summary>Softmax temperature; 0 picks the most likely token (greedy).</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Keep the smallest set of tokens whose probability reaches p; 1 = no limit.</summary>
    public double TopP { get; init; } = 1.0;
    /// <summary>Keep only the k most likely tokens; 0 = no limit.</summary>
    public int TopK { get; init; }
    public int MaxNewTokens { get; init; } = 256;
    /// <summary>Text that ends a completion; the completion's text is cut before it (its tokens are kept).</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];
    /// <summary>Seed of the sampling generator; the same seed reproduces on CPU. Null = torch's global generator.</summary>
    public long? Seed { get; init; }

    /// <summary>The token-level options these settings mean for a model with these stop ids and padding id.</summary>
    public GenerationOptions ToOptions(IReadOnlyList<int> eosTokenIds, int padTokenId) => new()
    {
        NumSamples = N,
        Temperature = Temperature,
        TopP = TopP,
        TopK = TopK,
        MaxNewTokens = MaxNewTokens,
        Seed = Seed,
        EosTokenIds = eosTokenIds,
        PadTokenId = padTokenId,
    };
}
