namespace HierReason.Training.Perf;

/// <summary>
/// The fixed workload of <c>hierreason perf train</c>: the committed SFT experiment from scratch for <see cref="SftSteps"/>
/// steps, and the committed GRPO experiment from <see cref="Model"/> (default: the folder it names in <c>model.from</c>)
/// for <see cref="GrpoSteps"/> steps, each once with every efficiency switch off and once on, <see cref="Repeats"/> times.
/// </summary>
public sealed record TrainBenchmarkSettings
{
    public string SftExperiment { get; init; } = "tasks/experiments/tiny-sft.json";
    public string GrpoExperiment { get; init; } = "tasks/experiments/tiny-grpo.json";
    /// <summary>The GRPO starting model; null: the experiment's own (a trained tiny-sft, so completions end at different lengths).</summary>
    public string? Model { get; init; }
    /// <summary>SFT steps per measurement: whole bucketing windows (8 steps each by default).</summary>
    public int SftSteps { get; init; } = 16;
    public int GrpoSteps { get; init; } = 3;
    /// <summary>Baseline/efficient pairs; alternating them spreads a shared machine's load over both.</summary>
    public int Repeats { get; init; } = 2;
    /// <summary>Skip SFT or GRPO (0 steps skips).</summary>
    public bool Sft => SftSteps > 0;
    public bool Grpo => GrpoSteps > 0;

    /// <summary>Throws <see cref="TrainingException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (SftSteps < 0 || GrpoSteps < 0 || SftSteps + GrpoSteps == 0) throw new TrainingException("perf train: --sft-steps and --grpo-steps must be >= 0, not both 0");
        if (Repeats < 1) throw new TrainingException($"perf train: --repeats must be at least 1 (found {Repeats})");
    }
}
