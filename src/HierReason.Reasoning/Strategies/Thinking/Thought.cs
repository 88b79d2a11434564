namespace HierReason.Reasoning.Strategies.Thinking;

/// <summary>One thought of an episode so far: the type it was written as (id and label) and the reasoner's text.</summary>
public sealed record Thought(string TypeId, string Label, string Text);
