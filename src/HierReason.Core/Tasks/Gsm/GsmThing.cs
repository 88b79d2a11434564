namespace HierReason.Core.Tasks.Gsm;

/// <summary>A countable thing as a question names it: one pen, two pens.</summary>
public readonly record struct GsmThing(string One, string Many);
