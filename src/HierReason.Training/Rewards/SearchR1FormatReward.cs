using HierReason.Core.Episodes;

namespace HierReason.Training.Rewards;

/// <summary>
/// Search-R1's exact match with format terms (<c>qa_em_format.compute_score_em</c>, v0.3), a replacement for
/// <c>correctness</c> on search strategies: a correct answer scores 1 in a valid episode and 0.8 otherwise; a wrong (or
/// missing) one 0.2 in a valid episode, plus 0.1 when some <c>&lt;information&gt;</c> held the gold answer, and 0.1
/// otherwise. Valid here: every thinker turn was a search or an answer (no invalid action) and the thinker answered — the
/// environment's judgement of each turn standing in for upstream's tag-sequence check.
/// </summary>
public sealed class SearchR1FormatReward : IRewardFunction
{
    public const double StructureScore = 0.2;
    public const double RetrievalScore = 0.1;
    public const double FinalFormatScore = 0.1;

    public string Name => "search_r1_format";

    public double Score(RewardContext ctx)
    {
        var answer = ctx.Answer;
        var valid = answer is not null && ctx.Stats.GetValueOrDefault(SearchNotes.InvalidActions) == 0;
        if (answer is not null && ctx.Task.Score(answer, ctx.Item) >= 1) return valid ? 1 : 1 - StructureScore;
        if (!valid) return FinalFormatScore;
        return StructureScore + (ctx.Stats.GetValueOrDefault(SearchNotes.InformationHasAnswer) > 0 ? RetrievalScore : 0);
    }
}
