namespace HierReason.Training.Grpo;

/// <summary>
/// <c>grpo.advantage</c>: one advantage per completion from its outcome reward (GRPO's outcome supervision), or one per
/// token from the rewards of the steps at or after it (DeepSeekMath §4.1.3, process supervision).
/// </summary>
public enum AdvantageKind
{
    Outcome,
    Process,
}
