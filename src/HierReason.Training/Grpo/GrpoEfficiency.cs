using HierReason.Engine.Generation;

namespace HierReason.Training.Grpo;

/// <summary>
/// The compute-saving switches of a GRPO step, on by default; <see cref="Off"/> is the baseline <c>hierreason perf train</c>
/// measures against. None changes the loss or gradient of given completions; dropping finished rows from decoding makes
/// seeded sampling draw other (equally reproducible) samples.
/// </summary>
/// <param name="CompactBelow">Rollouts drop finished rows once fewer than this fraction of the batch is alive (<see cref="GenerationOptions.CompactBelow"/>; 0 never).</param>
/// <param name="MicroBatching">How the update cuts its rows into micro-batches.</param>
/// <param name="SharePromptPrefix">Rollouts and the update run the prompts' common start (chat header, instruction) once (<see cref="PromptPrefill"/>).</param>
public sealed record GrpoEfficiency(double CompactBelow, MicroBatching MicroBatching, bool SharePromptPrefix = true)
{
    public static readonly GrpoEfficiency Default = new(GenerationOptions.DefaultCompactBelow, MicroBatching.Default);
    public static readonly GrpoEfficiency Off = new(0, MicroBatching.Off, SharePromptPrefix: false);
}
