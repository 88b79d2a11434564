namespace HierReason.Core.Episodes;

/// <summary>
/// The other side of a multi-turn episode. After each policy turn, the runner calls <see cref="NextAsync"/> once for all
/// open episodes of the batch, so an environment backed by a frozen model decodes a whole round in one batched request.
/// </summary>
public interface IEnvironment
{
    /// <summary>The registry name ("calculator", "planner_worker", …).</summary>
    string Name { get; }

    /// <summary>How the policy's next turn in <paramref name="episode"/> may run (where it ends, which tokens it may use).</summary>
    TurnSpec NextTurn(Episode episode) => TurnSpec.Open;

    /// <summary>
    /// For each episode (whose last segment is the policy's turn): the step to take, or null when the environment has
    /// nothing to add and the episode ends there. The result has one entry per episode, in order.
    /// </summary>
    Task<IReadOnlyList<EnvironmentStep?>> NextAsync(IReadOnlyList<Episode> episodes, CancellationToken cancellationToken);
}
