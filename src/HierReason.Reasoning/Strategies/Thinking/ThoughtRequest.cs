using HierReason.Core.Taxonomies;
using HierReason.Core.Tasks;

namespace HierReason.Reasoning.Strategies.Thinking;

/// <summary>
/// What the reasoner is asked for: the next thought of type <paramref name="Type"/> (guided by <paramref name="Examples"/>),
/// or, when <paramref name="Type"/> is null, the final answer; <paramref name="History"/> is the episode's thoughts so far.
/// </summary>
public sealed record ThoughtRequest(TaskItem Item, IReadOnlyList<Thought> History, ThoughtType? Type, IReadOnlyList<string> Examples)
{
    public bool IsFinal => Type is null;
}

/// <summary>The reasoner's reply to one request and the completion tokens it cost.</summary>
public sealed record ReasonerReply(string Text, int Tokens);
