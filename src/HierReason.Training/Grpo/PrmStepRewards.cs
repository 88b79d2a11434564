using HierReason.Core.Episodes;
using HierReason.Core.Prompts;
using HierReason.Engine.Prm;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Prm;

namespace HierReason.Training.Grpo;

/// <summary>
/// <c>"process_reward": "&lt;PRM folder&gt;"</c>: a process reward model's step scores p_t in [0, 1]. Each completion is scored as
/// the PRM was trained (<c>hierreason prm label</c>) and as best_of_n scores it: the task prompt, then its steps (the non-blank
/// lines, a final answer line dropped: the outcome reward judges the answer). Steps past the PRM's max length get no reward.
/// </summary>
public sealed class PrmStepRewards(PrmScorer scorer) : IStepRewards, IDisposable
{
    /// <summary>The PRM checkpoint in <paramref name="directory"/> (<c>hierreason prm train --output</c>) with its tokenizer, on the CPU.</summary>
    public static PrmStepRewards Load(string directory)
    {
        var model = PrmCheckpoint.Load(directory);
        try { return new PrmStepRewards(new PrmScorer(model, TokenizerLoader.Load(directory))); }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public IReadOnlyList<IReadOnlyList<double?>> Score(IReadOnlyList<Episode> episodes, IReadOnlyList<PolicyLines> lines)
    {
        var steps = lines.Select(l => SolutionSteps.Of(l.Text)).ToArray();
        var trajectories = episodes.Select((e, i) => new Trajectory(
            TaskPrompt.For((e.Item ?? throw new InvalidOperationException("a process advantage needs the episode's task item")).Question),
            steps[i].Texts)).ToList();
        var scores = scorer.ScoreMany(trajectories, batchSize: 16);
        var rewards = new IReadOnlyList<double?>[episodes.Count];
        for (var i = 0; i < episodes.Count; i++)
        {
            var row = new double?[lines[i].Lines.Length];
            for (var k = 0; k < scores[i].StepScores.Count; k++) row[steps[i].StepLines[k]] = scores[i].StepScores[k];
            rewards[i] = row;
        }
        return rewards;
    }

    public void Dispose() => scorer.Model.Dispose();
}
