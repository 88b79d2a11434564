using HierReason.Core.Tasks;

namespace HierReason.Training.Rewards;

/// <summary>What a reward function may look at: the item and its task, the completion's text and length, the token budget, and whether it was cut off.</summary>
public sealed record RewardContext(
    TaskItem Item,
    IReasoningTask Task,
    string Completion,
    int CompletionTokens,
    int MaxTokens,
    bool Truncated);
