using System.Text.Json;
using System.Text.Json.Serialization;
using HierReason.Core.IO;

namespace HierReason.Training.Checkpoints;

/// <summary>
/// Where a run stands, written as <c>trainer_state.json</c> in each checkpoint: the optimiser step (also the lr
/// schedule position), how many training examples were consumed, the seeds every random draw derives from, the best metric,
/// (with a curriculum) each task's level and rolling window, (SFT stopped inside a bucketing window) where that window began, and
/// the experiment the run was trained under (<see cref="Origin"/>, which <c>--resume</c> checks).
/// </summary>
public sealed record TrainerState(
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("data_position")] long DataPosition,
    [property: JsonPropertyName("data_seed")] long DataSeed,
    [property: JsonPropertyName("torch_seed")] long TorchSeed,
    [property: JsonPropertyName("learning_rate")] double LearningRate,
    [property: JsonPropertyName("total_steps")] int TotalSteps,
    [property: JsonPropertyName("best_metric")] double? BestMetric = null,
    [property: JsonPropertyName("curriculum")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, HierReason.Core.Tasks.CurriculumSnapshot>? Curriculum = null,
    [property: JsonPropertyName("bucket_window")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    BucketWindow? Bucket = null,
    [property: JsonPropertyName("origin")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    CheckpointOrigin? Origin = null)
{
    public const string FileName = "trainer_state.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public void Save(string directory) => AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Options));

    public static TrainerState Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), Options)
                   ?? throw new TrainingException($"{path}: empty trainer state");
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new TrainingException($"{path}: cannot read the trainer state ({e.Message})", e);
        }
    }
}
