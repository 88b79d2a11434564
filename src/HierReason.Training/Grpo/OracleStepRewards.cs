using HierReason.Core.Episodes;
using HierReason.Core.Steps;

namespace HierReason.Training.Grpo;

/// <summary>
/// <c>"process_reward": "oracle"</c>: the task's oracle step checker judges each line; a Correct step earns 1, an Incorrect
/// one 0, and a Neutral line (blank, prose, the answer) is not a step.
/// </summary>
public sealed class OracleStepRewards(StepCheckerRegistry checkers) : IStepRewards
{
    public const string Name = "oracle";

    public IReadOnlyList<IReadOnlyList<double?>> Score(IReadOnlyList<Episode> episodes, IReadOnlyList<PolicyLines> lines) =>
        episodes.Select((e, i) => Score(e, lines[i])).ToArray();

    /// <summary>One entry per line of <paramref name="lines"/>: 1 for a Correct step, 0 for an Incorrect one, null for a Neutral line.</summary>
    public IReadOnlyList<double?> Score(Episode episode, PolicyLines lines)
    {
        var item = episode.Item ?? throw new InvalidOperationException("a process advantage needs the episode's task item");
        var checker = checkers.TryGet(item.Task) ?? throw new InvalidOperationException($"task '{item.Task}' has no step checker");
        var verdicts = checker.Judge(item, lines.Lines).Verdicts;
        return verdicts.Select(v => v switch
        {
            StepVerdict.Correct => 1.0,
            StepVerdict.Incorrect => 0.0,
            _ => (double?)null,
        }).ToArray();
    }

    /// <summary>Throws a <see cref="TrainingException"/> naming the first of <paramref name="tasks"/> without a step checker.</summary>
    public void Require(IEnumerable<string> tasks)
    {
        foreach (var task in tasks)
            if (!checkers.Has(task))
                throw new TrainingException(
                    $"grpo: \"advantage\": \"process\" with \"process_reward\": \"{Name}\" needs an oracle step checker, and task '{task}' has none " +
                    $"(tasks with one: {string.Join(", ", checkers.Tasks)}); train it with \"advantage\": \"outcome\"");
    }
}
