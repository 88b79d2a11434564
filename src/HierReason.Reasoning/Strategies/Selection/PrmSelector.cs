using HierReason.Core.Episodes;
using HierReason.Core.Prompts;
using HierReason.Core.Tasks;
using HierReason.Engine.Prm;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Prm;

namespace HierReason.Reasoning.Strategies.Selection;

/// <summary>
/// best_of_n's choice: the candidate a process reward model scores highest. Each candidate is scored as the PRM was
/// trained (<c>hierreason prm label</c>): the task prompt, then the solution's steps (its non-blank lines, a final answer
/// line dropped: judging the answer is the verifier's job), reduced over steps (product by default, seed 001's). A
/// candidate without an answer ranks below every candidate with one; ties go to the candidate sampled first.
/// </summary>
public sealed class PrmSelector(PrmScorer scorer, TrajectoryReduction reduction) : ISampleSelector
{
    /// <summary>The PRM checkpoint in <paramref name="directory"/> (<c>hierreason prm train --output</c>) with its tokenizer.</summary>
    public static PrmSelector Load(string directory, TrajectoryReduction reduction) =>
        new(new PrmScorer(PrmCheckpoint.Load(directory), TokenizerLoader.Load(directory)), reduction);

    public int Select(TaskItem item, IReadOnlyList<Episode> candidates, AnswerSource answers)
    {
        var prompt = TaskPrompt.For(item.Question);
        var scores = scorer.ScoreMany(candidates.Select(c => new Trajectory(prompt, SolutionSteps.Of(c.PolicyText).Texts)).ToList(), reduction, batchSize: candidates.Count);
        var best = 0;
        var bestKey = (Answered: false, Score: double.NegativeInfinity);
        for (var i = 0; i < candidates.Count; i++)
        {
            var score = double.IsNaN(scores[i].Score) ? double.NegativeInfinity : scores[i].Score;
            var key = (Answered: candidates[i].Answer(answers) is not null, Score: score);
            if (i == 0 || (key.Answered && !bestKey.Answered) || (key.Answered == bestKey.Answered && key.Score > bestKey.Score))
                (best, bestKey) = (i, key);
        }
        return best;
    }
}
