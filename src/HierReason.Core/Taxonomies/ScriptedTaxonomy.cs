namespace HierReason.Core.Taxonomies;

/// <summary>
/// The one-level taxonomy of the scripted chain_sum reasoner (the research note's known-optimum check): "Compute" applies
/// the chain's next operation, "Check" recomputes the running value from the operations applied so far, "Guess" replaces
/// it by a random number; "Finish thinking" answers the running value. The optimum is Compute until no operation is left,
/// then Finish.
/// </summary>
public static class ScriptedTaxonomy
{
    public const string Compute = "compute";
    public const string Check = "check";
    public const string Guess = "guess";

    public static Taxonomy Build() => new("scripted",
    [
        new ThoughtType(Compute, "Compute", "Apply the next operation of the chain to the running value.", 0, [], ["3 + 5 = 8", "8 - 2 = 6"]),
        new ThoughtType(Check, "Check", "Recompute the running value from the operations applied so far.", 0, [], ["Check: 3 + 5 = 8"]),
        new ThoughtType(Guess, "Guess", "Guess the value without computing.", 0, [], ["Guess: 41"]),
    ]);
}
