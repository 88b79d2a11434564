namespace HierReason.Training.Grpo;

/// <summary>
/// How the per-token loss is aggregated (TRL's <c>loss_type</c>): per-sequence mean then batch mean (<see cref="Grpo"/>);
/// over the batch's active tokens (<see cref="Bnpo"/>); over B × max_completion_length (<see cref="DrGrpo"/>); over
/// the active tokens of the whole accumulated batch (<see cref="Dapo"/>).
/// </summary>
public enum LossType
{
    Grpo,
    Bnpo,
    DrGrpo,
    Dapo,
}
