namespace HierReason.Training.Rewards;

/// <summary>1 − tokens / max_tokens, clamped to [0, 1]: shorter completions earn more (weight it below correctness).</summary>
public sealed class BrevityReward : IRewardFunction
{
    public string Name => "brevity";

    public double Score(RewardContext ctx)
    {
        if (ctx.MaxTokens <= 0) throw new ArgumentOutOfRangeException(nameof(ctx), ctx.MaxTokens, "max_tokens must be positive");
        return Math.Clamp(1.0 - (double)ctx.CompletionTokens / ctx.MaxTokens, 0.0, 1.0);
    }
}
