using HierReason.Core.Prompts;
using HierReason.Core.Tasks;

namespace HierReason.Core.Episodes;

/// <summary>
/// How episodes of one strategy run: the user message each starts from, the environment that answers the policy's turns
/// (none = a single turn), who the trained actor is, and where the answer is read. <see cref="Vanilla"/> is today's
/// single-turn task prompt.
/// </summary>
public sealed class EpisodeStrategy
{
    public const string VanillaName = "vanilla";

    public required string Name { get; init; }

    /// <summary>The user message of an item's episode.</summary>
    public Func<TaskItem, string> Prompt { get; init; } = item => TaskPrompt.For(item.Question);

    /// <summary>Answers the policy's turns; null for single-turn episodes.</summary>
    public IEnvironment? Environment { get; init; }

    public AnswerSource Answers { get; init; } = AnswerSource.Policy;

    public Actor PolicyActor { get; init; } = Actor.Policy;

    /// <summary>The task prompt, one policy turn, the policy's own answer.</summary>
    public static EpisodeStrategy Vanilla { get; } = new() { Name = VanillaName };
}
