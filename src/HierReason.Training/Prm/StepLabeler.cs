using System.IO.Hashing;
using System.Text;
using HierReason.Core.Answers;
using HierReason.Core.Prompts;
using HierReason.Core.Steps;
using HierReason.Core.Tasks;

namespace HierReason.Training.Prm;

/// <summary>
/// Monte-Carlo step labels (seed 001, Math-Shepherd): per item, sample N solutions; cut each into steps; choose states
/// (<see cref="StateSelection"/>); roll out K continuations from every state and score each with the task's verifier.
/// A step's value is the share of its state's rollouts that reach a correct answer. One call labels a batch of items
/// with two sampler calls: all solutions, then all rollouts of all states.
/// </summary>
public sealed class StepLabeler(ICompletionSampler sampler, StepLabelOptions options)
{
    /// <summary>What the last <see cref="Label"/> call sampled: trajectories, states and rollouts.</summary>
    public (int Trajectories, int States, int Rollouts) LastWork { get; private set; }

    /// <summary>
    /// Labels <paramref name="items"/> of <paramref name="task"/>; the oracle <paramref name="checker"/> (null: none) adds its
    /// verdicts for the quality metrics. Returns one record per solution with at least one step, item by item; a solution
    /// with no step (blank, or only an answer) gets none.
    /// </summary>
    public IReadOnlyList<StepLabelRecord> Label(IReadOnlyList<TaskItem> items, IReasoningTask task, IStepChecker? checker)
    {
        if (items.Count == 0) return [];
        var solutionSampling = new StepSampling(options.SolutionTemperature, options.SolutionTopP, options.MaxNewTokens);
        var rolloutSampling = new StepSampling(options.RolloutTemperature, options.RolloutTopP, options.MaxNewTokens);
        var solutions = sampler.Complete(items.Select(i => new SolutionState(i.Question, "")).ToArray(), options.Solutions, solutionSampling, BatchSeed("solutions", items));
        if (solutions.Count != items.Count) throw new InvalidOperationException($"sampler returned {solutions.Count} solution groups for {items.Count} items");

        var trajectories = new List<(int Item, int Sample, string Text, SolutionSteps Steps, IReadOnlyList<int> States)>();
        var states = new List<SolutionState>();
        for (var i = 0; i < items.Count; i++)
            for (var s = 0; s < options.Solutions; s++)
            {
                var text = solutions[i][s];
                var steps = SolutionSteps.Of(text);
                var chosen = StateSelection.Choose(steps.Count, options.RatioS, options.Ratio, options.AllSteps, StateSelection.RngFor(options.Seed, items[i].Id, s));
                if (chosen.Count == 0) continue;
                trajectories.Add((i, s, text, steps, chosen));
                states.AddRange(chosen.Select(j => new SolutionState(items[i].Question, steps.Prefix(j))));
            }
        var rollouts = states.Count == 0 ? [] : sampler.Complete(states, options.K, rolloutSampling, BatchSeed("rollouts", items));
        LastWork = (trajectories.Count, states.Count, states.Count * options.K);

        var records = new List<StepLabelRecord>(trajectories.Count);
        var perItem = trajectories.CountBy(t => t.Item).ToDictionary();
        var next = 0;
        foreach (var t in trajectories)
        {
            var item = items[t.Item];
            var last = t.States[^1];
            var outcomes = new string?[last + 1];
            foreach (var j in t.States)
            {
                var prefix = t.Steps.Prefix(j);
                outcomes[j] = string.Concat(rollouts[next++].Select(c => Solves(task, item, prefix + c) ? '1' : '0'));
            }
            StepVerdict[]? oracle = null;
            if (checker is not null)
            {
                var verdicts = checker.Judge(item, t.Steps.Lines).Verdicts;
                oracle = Enumerable.Range(0, last + 1).Select(j => verdicts[t.Steps.StepLines[j]]).ToArray();
            }
            records.Add(new StepLabelRecord(
                item.Id, task.Name, t.Sample, perItem[t.Item], TaskPrompt.For(item.Question),
                Enumerable.Range(0, last + 1).Select(t.Steps.Step).ToArray(), outcomes, oracle, Solves(task, item, t.Text)));
        }
        return records;
    }

    /// <summary>Success is full marks from the verifier: a wrong number never gets partial credit toward a label.</summary>
    private static bool Solves(IReasoningTask task, TaskItem item, string completion)
        => task.Score(AnswerExtractor.Extract(completion), item) >= 1.0;

    // Seeded by the batch's items, not its position, so a resumed run draws the same way for the same batch.
    private long BatchSeed(string purpose, IReadOnlyList<TaskItem> items)
        => (long)(XxHash3.HashToUInt64(Encoding.UTF8.GetBytes($"{options.Seed}\0{purpose}\0{items[0].Id}")) >> 2);
}
