using HierReason.Engine.Lora;

namespace HierReason.Training.Experiments;

/// <summary>Which model (<see cref="From"/>: the folder another experiment wrote, relative to the experiment file, also in <see cref="Path"/> resolved) to train: the embedded tiny model initialised from <see cref="Seed"/> (<see cref="Init"/> = "tiny") or a HF folder (<see cref="Path"/>), where, in which dtype, with LoRA or not.</summary>
public sealed record ModelSection(string? Init, long Seed, string? Path, string Device, string DType, LoraConfig? Lora, string? From = null)
{
    /// <summary>
    /// <c>model.optimizer_state</c>: "fresh" (default) starts AdamW with zero moments; "from_model" continues the moments
    /// the source model's own training ended with (its checkpoint at the final step), so a fine-tune does not restart with
    /// every weight moving by about the learning rate (issue 18).
    /// </summary>
    public bool OptimizerStateFromModel { get; init; }
}
