namespace HierReason.Retrieval.Context;

/// <summary>
/// The episode's length once a step of the gold trace is done (hop <see cref="Hop"/>'s search, its information and the
/// fact; hop 0 is the whole trace with its answer), with flat top-k documents or with one-sentence summaries inserted.
/// </summary>
public sealed record SearchContextStep(int Hop, int Items, LengthStats Flat, LengthStats Summary);
