using HierReason.Engine.Lora;

namespace HierReason.Training.Experiments;

/// <summary>Which model (<see cref="From"/>: the folder another experiment wrote, relative to the working directory, also in <see cref="Path"/> resolved) to train: the embedded tiny model initialised from <see cref="Seed"/> (<see cref="Init"/> = "tiny") or a HF folder (<see cref="Path"/>), where, in which dtype, with LoRA or not.</summary>
public sealed record ModelSection(string? Init, long Seed, string? Path, string Device, string DType, LoraConfig? Lora, string? From = null);
