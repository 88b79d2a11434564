namespace HierReason.Engine.Perf;

/// <summary>What <see cref="GenerateBenchmark"/> measures and how hard: models, dtypes, prefill and decode sizes, repeats.</summary>
public sealed record GenerateBenchmarkSettings
{
    /// <summary>The machine baseline's sizes (matmul n, copy bytes, repeats).</summary>
    public BaselineSettings Baseline { get; init; } = new(MatmulSize: 2048, CopyBytes: 256L << 20, Repeats: 3);
    /// <summary>Whether the Qwen2.5-0.5B-shaped model is measured besides the tiny one.</summary>
    public bool IncludeQwen05B { get; init; } = true;
    /// <summary>Weight dtypes, as config.json spells them.</summary>
    public IReadOnlyList<string> DTypes { get; init; } = ["float32", "bfloat16"];
    public int PrefillBatch { get; init; } = 1;
    public int PrefillTokens { get; init; } = 512;
    public IReadOnlyList<int> DecodeBatches { get; init; } = [1, 8, 64];
    /// <summary>Prompt length each decode run starts from (prefilled untimed).</summary>
    public int DecodePromptTokens { get; init; } = 64;
    /// <summary>Timed decode steps per run.</summary>
    public int DecodeSteps { get; init; } = 16;
    /// <summary>New tokens of the tiny model's with/without KV cache comparison.</summary>
    public int CacheComparisonTokens { get; init; } = 256;
    public int CacheComparisonPromptTokens { get; init; } = 16;
    /// <summary>Timed runs per measurement (after one warm-up); the best is kept.</summary>
    public int Repeats { get; init; } = 3;
    /// <summary>No further repeats start once a measurement has used this long, so big models run once.</summary>
    public double SecondsPerMeasurement { get; init; } = 8.0;
    /// <summary>libtorch intra-op threads during the run (restored after); null keeps the current setting. On a shared
    /// machine, fewer threads than cores avoids spinning workers that make small ops erratic.</summary>
    public int? Threads { get; init; }
    /// <summary>Also time each decode batch our small-batch kernels take with libtorch's kernels instead (same run, same
    /// weights), so their gain is measured against its own baseline; ignored where the kernels are off or unsupported.</summary>
    public bool CompareKernels { get; init; } = true;
    /// <summary>Seed of the random weights and prompt tokens.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>A seconds-long run on the tiny model only, for tests and smoke checks.</summary>
    public static GenerateBenchmarkSettings Quick { get; } = new()
    {
        Baseline = new BaselineSettings(MatmulSize: 384, CopyBytes: 16L << 20, Repeats: 3),
        IncludeQwen05B = false,
        PrefillTokens = 32,
        DecodeBatches = [1, 4],
        DecodePromptTokens = 8,
        DecodeSteps = 4,
        CacheComparisonTokens = 16,
        CacheComparisonPromptTokens = 4,
        Repeats = 2,
        SecondsPerMeasurement = 2.0,
        CompareKernels = false,
    };

    /// <summary>Throws <see cref="EngineException"/> for sizes no run can honour.</summary>
    public void Validate()
    {
        if (DTypes.Count == 0) throw new EngineException("perf generate: at least one dtype is needed");
        foreach (var dtype in DTypes) Models.DeviceSpec.ParseDType(dtype);
        if (PrefillBatch < 1 || PrefillTokens < 1) throw new EngineException("perf generate: prefill batch and tokens must be at least 1");
        if (DecodeBatches.Count == 0 || DecodeBatches.Any(b => b < 1)) throw new EngineException("perf generate: decode batches must be at least 1");
        if (DecodePromptTokens < 1 || DecodeSteps < 1) throw new EngineException("perf generate: decode prompt tokens and steps must be at least 1");
        if (CacheComparisonTokens < 1 || CacheComparisonPromptTokens < 1) throw new EngineException("perf generate: cache comparison sizes must be at least 1");
        if (Threads is < 1) throw new EngineException($"perf generate: threads must be at least 1 (found {Threads})");
        if (Repeats < 1 || SecondsPerMeasurement <= 0) throw new EngineException("perf generate: repeats and seconds per measurement must be positive");
    }
}
