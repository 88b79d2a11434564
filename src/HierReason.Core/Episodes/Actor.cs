namespace HierReason.Core.Episodes;

/// <summary>
/// Who wrote a segment of an episode: the prompt, the trained policy, or a side of the environment (a frozen worker, a
/// searcher, a tool). Only the episode's <see cref="Episode.PolicyActor"/> carries loss; every other actor is masked.
/// </summary>
public readonly record struct Actor
{
    public Actor(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')))
            throw new ArgumentException($"an actor name is lower-case ASCII letters, digits and '_' (found '{name}')", nameof(name));
        Name = name;
    }

    public string Name { get; }

    public static Actor Prompt { get; } = new("prompt");
    public static Actor Policy { get; } = new("policy");
    public static Actor Environment { get; } = new("environment");
    public static Actor Planner { get; } = new("planner");
    public static Actor Worker { get; } = new("worker");
    public static Actor Searcher { get; } = new("searcher");

    public override string ToString() => Name;
}
