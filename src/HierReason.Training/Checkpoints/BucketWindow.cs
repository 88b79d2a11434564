using System.Text.Json.Serialization;

namespace HierReason.Training.Checkpoints;

/// <summary>An SFT bucketing window in progress (<see cref="Sft.SftBuckets"/>): the step it began at and the data position its examples were drawn from.</summary>
public sealed record BucketWindow(
    [property: JsonPropertyName("first_step")] int FirstStep,
    [property: JsonPropertyName("data_position")] long DataPosition);
