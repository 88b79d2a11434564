namespace HierReason.Retrieval.Context;

/// <summary>The context a level's episodes need: the prompt, then the length after each hop (and after the answer).</summary>
public sealed record SearchContextLevel(int Level, int Hops, bool Comparison, int Items, LengthStats Prompt, IReadOnlyList<SearchContextStep> Steps);
