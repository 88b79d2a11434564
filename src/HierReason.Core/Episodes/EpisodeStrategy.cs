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

    /// <summary>
    /// A policy the strategy brings itself, used in place of the job's model (planner_worker's gold plan); null: the
    /// model writes the policy's turns.
    /// </summary>
    public IEpisodePolicy? OwnPolicy { get; init; }

    /// <summary>
    /// The gold completion of an item as segments, for SFT: the policy's segments are learned, every other actor's are
    /// masked (a gold thinker trace's <c>&lt;information&gt;</c> blocks, a gold planner episode's worker reply). Default:
    /// the item's gold solution trace as one policy segment. Null for an item means the strategy has no gold episode for it.
    /// </summary>
    public Func<TaskItem, IReadOnlyList<Segment>?> Gold { get; init; } = item => [new Segment(Actor.Policy, item.Solution)];

    /// <summary>
    /// For selection strategies (majority_vote, best_of_n): how many single-turn candidates an item samples and which one
    /// answers. Null for every other strategy.
    /// </summary>
    public SampleSelection? Selection { get; init; }

    /// <summary>The task prompt, one policy turn, the policy's own answer.</summary>
    public static EpisodeStrategy Vanilla { get; } = new() { Name = VanillaName };
}
