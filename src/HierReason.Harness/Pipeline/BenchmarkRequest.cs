namespace HierReason.Harness.Pipeline;

/// <summary>
/// What a benchmark is asked to run — <c>hierreason bench</c>'s inputs and options as parsed; <see cref="BenchmarkPipeline.Plan"/>
/// validates them (an error names the option) before anything is written.
/// </summary>
public sealed record BenchmarkRequest
{
    public string ModelsFile { get; init; } = "models.json";
    public string TasksFile { get; init; } = "tasks.json";

    /// <summary>Folder of task config files (&lt;task&gt;.json) the task set overlays; null: none.</summary>
    public string? TaskConfigs { get; init; }

    /// <summary>Only these tasks (null: all).</summary>
    public IReadOnlyList<string>? OnlyTasks { get; init; }

    /// <summary>Only these models (null: the enabled ones; a disabled model named here runs).</summary>
    public IReadOnlyList<string>? OnlyModels { get; init; }

    /// <summary>GPU indices such as "0,1"; null: the GPUs nvidia-smi lists, else <see cref="CpuSlots"/>.</summary>
    public string? Gpus { get; init; }

    public int CpuSlots { get; init; } = 1;
    public int SlotsPerDevice { get; init; } = 1;

    /// <summary>"round-robin" or "affinity".</summary>
    public string Schedule { get; init; } = "round-robin";

    /// <summary>The folder of run folders (the run goes to &lt;runs&gt;/&lt;run id&gt;; finished jobs of its other runs are adopted).</summary>
    public string RunsRoot { get; init; } = "artifacts/runs";

    /// <summary>Where results JSON, summary.md and the charts go.</summary>
    public string ResultsFolder { get; init; } = "artifacts/benchmark_results";

    /// <summary>Rerun jobs whose result already exists (and adopt nothing).</summary>
    public bool Force { get; init; }

    public double TimeoutSeconds { get; init; } = 7200;
    public int Retries { get; init; } = 1;
    public int BatchSize { get; init; } = 32;

    /// <summary>libtorch threads per worker; null: 1 when several CPU slots share the machine, else all cores.</summary>
    public int? Threads { get; init; }
}
