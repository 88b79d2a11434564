namespace HierReason.Engine.Perf;

/// <summary>Measured engine speed for one model and batch shape: prompt tokens/s in prefill, generated tokens/s in decode.</summary>
public sealed record DecodeThroughput(
    string Device,
    long Parameters,
    int Batch,
    int PromptTokens,
    int NewTokens,
    double PrefillTokensPerSecond,
    double DecodeTokensPerSecond,
    double MillisecondsPerDecodeStep);
