using System.Text.Json.Serialization;

namespace HierReason.Engine.Perf;

/// <summary>Greedy decoding with the KV cache against recomputing the whole sequence every step.</summary>
/// <param name="Model">The benchmarked model's name.</param>
/// <param name="DType">Weight dtype.</param>
/// <param name="PromptTokens">Prompt length.</param>
/// <param name="NewTokens">Tokens decoded.</param>
/// <param name="WithCacheSeconds">Time to decode them with the cache (prefill included, as without it).</param>
/// <param name="WithoutCacheSeconds">Time with a full forward over the growing sequence per token.</param>
/// <param name="Speedup">Without ÷ with.</param>
/// <param name="SameTokens">Whether both produced the same tokens (they should: the cache changes cost, not results).</param>
public sealed record KvCacheComparison(
    string Model,
    [property: JsonPropertyName("dtype")] string DType,
    int PromptTokens,
    int NewTokens,
    double WithCacheSeconds,
    double WithoutCacheSeconds,
    double Speedup,
    bool SameTokens)
{
    public double WithCacheTokensPerSecond => NewTokens / WithCacheSeconds;
    public double WithoutCacheTokensPerSecond => NewTokens / WithoutCacheSeconds;
}
