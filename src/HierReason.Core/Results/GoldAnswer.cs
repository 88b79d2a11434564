namespace HierReason.Core.Results;

/// <summary>One distinct gold answer of a set of items (<see cref="AnswerTally"/>).</summary>
/// <param name="Answer">The gold answer as the task writes it.</param>
/// <param name="Items">Items whose gold answer it is.</param>
/// <param name="ConstantScore">Σ over every item of the set of the verifier's score for this answer: what answering it to
/// everything would earn (items of other gold answers count too, when the verifier accepts it there).</param>
public sealed record GoldAnswer(string Answer, int Items, double ConstantScore);
