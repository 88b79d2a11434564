namespace HierReason.Training.Prm;

/// <summary>What <c>training_summary.json</c> of a PRM run holds: the settings, every step's loss, throughput and held-out metrics.</summary>
public sealed record PrmTrainSummary
{
    public const string FileName = "training_summary.json";

    public required string BaseModel { get; init; }
    /// <summary>The stepwise files trained on (absolute paths).</summary>
    public required IReadOnlyList<string> Data { get; init; }

    /// <summary><c>step</c> (each step's own label: a PRM) or <c>outcome</c> (every step labelled with its solution's verdict: an ORM).</summary>
    public string Labels { get; init; } = "step";
    public required PrmTrainSettings Settings { get; init; }
    public required int TrainTrajectories { get; init; }
    public required int TrainSteps { get; init; }
    public required int HeldOutTrajectories { get; init; }
    public required int OptimizerSteps { get; init; }
    public required int TruncatedSteps { get; init; }
    public required IReadOnlyList<double> Losses { get; init; }
    public required double Seconds { get; init; }
    public required double OptimizerStepsPerSecond { get; init; }
    public required double LabelledStepsPerSecond { get; init; }
    public PrmEvaluation? HeldOutBefore { get; init; }
    public PrmEvaluation? HeldOutAfter { get; init; }
}
