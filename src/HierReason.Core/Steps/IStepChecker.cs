using HierReason.Core.Tasks;

namespace HierReason.Core.Steps;

/// <summary>
/// An oracle that judges the intermediate steps of a completion exactly, from the truth a task's
/// generator knows. A step is one line (TRL's PRMTrainer separator <c>\n</c>; see
/// <see cref="StepLines.Split"/>). Never throws on any text; linear in its length.
/// </summary>
public interface IStepChecker
{
    /// <summary>The registered name of the task whose items this checker judges.</summary>
    string Task { get; }

    /// <summary>
    /// One verdict per entry of <paramref name="lines"/> (a null entry reads as blank). Throws
    /// <see cref="ArgumentException"/> for an item of another task, and <see cref="HierReasonException"/>
    /// for an item whose metadata is malformed (e.g. edited in a file); never for any text.
    /// </summary>
    StepJudgement Judge(TaskItem item, IReadOnlyList<string?> lines);
}
