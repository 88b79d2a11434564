namespace HierReason.Core.Taxonomies;

/// <summary>
/// The words of <see cref="DefaultTaxonomy"/>: each node's id, label and description, who its parent is, and the
/// handwritten examples of the types no gold trace shows. Kept apart from the assembly so the text reads as one list.
/// </summary>
internal static class DefaultTaxonomyText
{
    public sealed record Entry(string Id, string Label, string Description, string? Parent = null);

    public static readonly Entry[] Stages =
    [
        new("orient", "Orient", "Make sense of the problem and decide how to attack it, before doing any of the work."),
        new("work", "Work", "Carry out the approach: bring in the facts it needs and compute the intermediate results."),
        new("verify_and_conclude", "Verify and conclude", "Step back from the work: deal with doubts, check results, pull them together and state the answer."),
    ];

    // Thought Anchors' eight sentence types, in its order.
    public static readonly Entry[] Types =
    [
        new("problem_setup", "Problem setup", "Restate what is given and what is asked, in the terms the rest of the solution will use.", "orient"),
        new("plan_generation", "Plan generation", "Lay out the steps or the strategy the solution will follow, before carrying them out.", "orient"),
        new("fact_retrieval", "Fact retrieval", "Recall or look up a fact the problem does not state: a rule, a definition, a value from a document.", "work"),
        new("active_computation", "Active computation", "Perform one concrete operation on known values: a calculation, a count, a move or a placement.", "work"),
        new("uncertainty_management", "Uncertainty management", "Notice confusion or a possible mistake and decide what to reconsider, including backtracking to another approach.", "verify_and_conclude"),
        new("result_consolidation", "Result consolidation", "Combine intermediate results into a larger one, or sum up what has been established so far.", "verify_and_conclude"),
        new("self_checking", "Self checking", "Verify a step or result already reached, by recomputing it or testing it against the problem's conditions.", "verify_and_conclude"),
        new("final_answer_emission", "Final answer emission", "State the final answer, in the form the problem asks for.", "verify_and_conclude"),
    ];

    // Our tasks' gold-trace step kinds; their examples come from DefaultTaxonomy.Sources.
    public static readonly Entry[] Leaves =
    [
        new("locate_endpoints", "Locate start and goal", "Find the start and destination cells of a grid route and write down their coordinates (shortest path).", "problem_setup"),
        new("search_query", "Issue a search query", "Ask the search tool one question whose answer is the next fact the chain of hops needs (multi-hop lookup).", "fact_retrieval"),
        new("read_fact", "Read off a fact", "State, in one sentence, the fact a retrieved document gives (multi-hop lookup).", "fact_retrieval"),
        new("add_subtract", "Add or subtract", "Apply the next addition or subtraction to the running total (chain sum).", "active_computation"),
        new("multiply_divide", "Multiply or divide", "Evaluate one multiplication or division of an arithmetic expression (basic arithmetic).", "active_computation"),
        new("sub_result", "Compute a sub-result", "Work out one person's or one quantity's intermediate value in a word problem (multi-step arithmetic).", "active_computation"),
        new("count_letters", "Count a letter in a word", "Count how often the asked-for letter occurs in one word (letter counting).", "active_computation"),
        new("count_legs", "Count legs of one kind", "Multiply how many animals of one kind there are by the legs each has (leg counting).", "active_computation"),
        new("move_disk", "Move a disk", "Make the next move of a Tower of Hanoi solution: one disk from one peg to another (tower of hanoi).", "active_computation"),
        new("fill_cell", "Fill a cell", "Place the digit a sudoku cell is forced to hold, with the constraints (row, column, box) that force it (mini sudoku).", "active_computation"),
        new("path_step", "Step along the path", "Take one move of a grid route and note the cell it reaches (shortest path).", "active_computation"),
        new("combine_subresults", "Combine sub-results", "Combine the sub-results into the quantity the question asks for (multi-step arithmetic).", "result_consolidation"),
        new("total_counts", "Total the counts", "Add up the per-kind counts into the total (leg counting).", "result_consolidation"),
    ];

    public static string? ParentOf(string id) => Types.Concat(Leaves).FirstOrDefault(e => e.Id == id)?.Parent;

    /// <summary>Examples for the types gold traces never write out: generic to arithmetic and puzzle problems.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Handwritten = new Dictionary<string, IReadOnlyList<string>>
    {
        ["problem_setup"] =
        [
            "We are given five numbers joined by + and -, and must find the value of the whole expression.",
            "The question asks for the total number of legs, so I need each animal's count and legs per animal.",
            "Known: the grid is 6 by 6 with some blocked cells; unknown: the shortest route from the start to the goal.",
            "So all disks start on peg 1 and must end on peg 3, never with a larger disk on a smaller one.",
            "Each row, each column and each 2x2 box must hold the digits 1 to 4 exactly once.",
            "The answer has to be a single integer.",
        ],
        ["plan_generation"] =
        [
            "First I will evaluate the multiplications and divisions, then the additions and subtractions from left to right.",
            "I'll work out each person's amount separately and then combine them.",
            "Plan: find a cell that can hold only one digit, fill it, and repeat until the grid is full.",
            "To move the tower, move the smaller disks out of the way, move the largest disk, then rebuild the rest on top of it.",
            "I need two facts: who the person is married to, and then where that spouse was born.",
            "Let me count the letter word by word and add up the counts at the end.",
        ],
        ["uncertainty_management"] =
        [
            "Wait, I may have misread the sign of the third number.",
            "Hmm, this does not add up; let me go back to the previous step.",
            "I'm not sure the division comes out exact here, so I should look at it again.",
            "This approach is getting long; maybe there is a simpler way.",
            "That cell could still hold 2 or 4, so I cannot fill it yet.",
            "Actually, this route runs into a wall; let me try going around the other side.",
        ],
        ["self_checking"] =
        [
            "Check: 304 + 46 = 350 and 350 + 56 = 406, so the total is right.",
            "Let me verify by adding the numbers in a different order.",
            "Each row, column and box now holds 1, 2, 3 and 4 exactly once.",
            "Recounting the a's in 'banana' gives 3 again, so that count stands.",
            "Putting the result back into the question gives a consistent answer.",
            "This move puts a smaller disk on a larger one, so it is legal.",
        ],
    };
}
