using System.Text.Json.Serialization;

namespace HierReason.Training.Preference;

/// <summary>
/// One preference pair in TRL's DPO format (<c>{prompt, chosen, rejected}</c>), optionally with Step-DPO's fields: the
/// correct reasoning steps before the compared step (<c>initial_reason_steps</c>, part of the prompt side, never learned)
/// and the whole continuations after that prefix (<c>full_chosen</c>, <c>full_rejected</c>, informational).
/// <see cref="Prompt"/> is the user's question; the trainer renders it through the model's chat template.
/// </summary>
public sealed record PreferencePair(
    [property: JsonPropertyName("prompt")] string Prompt,
    [property: JsonPropertyName("chosen")] string Chosen,
    [property: JsonPropertyName("rejected")] string Rejected)
{
    [JsonPropertyName("initial_reason_steps")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InitialReasonSteps { get; init; }

    [JsonPropertyName("full_chosen")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FullChosen { get; init; }

    [JsonPropertyName("full_rejected")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FullRejected { get; init; }
}
