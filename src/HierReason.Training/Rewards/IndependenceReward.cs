using HierReason.Core.Episodes;

namespace HierReason.Training.Rewards;

/// <summary>
/// planner_worker: how unlike each other the sub-questions are, <c>1 − mean pairwise TF-IDF cosine</c>
/// (<see cref="LexicalSimilarity"/>; seed 002 used sentence embeddings, which cannot be downloaded here). 0.5 when the
/// plan did not decompose or had fewer than two sub-problems (seed 002's value for atomic plans); 0 when the plan never
/// reached the worker.
/// </summary>
public sealed class IndependenceReward : IRewardFunction
{
    public const double Atomic = 0.5;

    public string Name => "independence";

    public double Score(RewardContext ctx)
    {
        if (!PlannerNotes.Planned(ctx.Episode)) return 0;
        var questions = PlannerNotes.SubQuestions(ctx.Episode);
        return questions.Count < 2 ? Atomic : Math.Clamp(1 - LexicalSimilarity.MeanPairwiseCosine(questions), 0, 1);
    }
}
