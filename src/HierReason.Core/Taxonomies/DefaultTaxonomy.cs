namespace HierReason.Core.Taxonomies;

/// <summary>
/// The shipped taxonomy (tasks/taxonomy/default.json): three coarse stages at level 0, Thought Anchors' eight sentence
/// types (Bogdan et al. 2025) at level 1, and at level 2 the step kinds of our tasks' gold traces, each under the type it
/// is an instance of. Task leaves take their examples from gold traces (<see cref="Sources"/>); the types no gold trace
/// shows (setup, planning, doubt, checking) carry short handwritten ones.
/// </summary>
public static class DefaultTaxonomy
{
    public const string Name = "default";

    /// <summary>The dataset seed of the gold traces examples are drawn from.</summary>
    public const long ExampleSeed = 23;

    /// <summary>How many items of each task are generated to draw examples from.</summary>
    public const int ItemsPerTask = 40;

    /// <summary>Examples kept per gold-derived leaf.</summary>
    public const int ExamplesPerLeaf = 8;

    /// <summary>Each task leaf's id, and the gold lines its examples are.</summary>
    public static IReadOnlyDictionary<string, GoldLines> Sources { get; } = new Dictionary<string, GoldLines>
    {
        ["locate_endpoints"] = new("shortest_path", @"Start \(\d+,\d+\), destination \(\d+,\d+\)"),
        ["search_query"] = new("multi_hop_lookup", @"<search>[^<]+</search>"),
        ["read_fact"] = new("multi_hop_lookup", @"(?!So the answer is)[A-Z][^<]*\."),
        ["add_subtract"] = new("chain_sum", @"-?\d+ [+-] -?\d+ = -?\d+"),
        ["multiply_divide"] = new("basic_arithmetic", @"-?\d+ [*/] -?\d+ = -?\d+"),
        ["sub_result"] = new("multi_step_arithmetic", @"[A-Z][a-z]+: .*= -?\d+"),
        ["count_letters"] = new("letter_counting", @"[a-z]+: \d+"),
        ["count_legs"] = new("leg_counting", @"\d+ [a-z ]+: \d+ \* \d+ = \d+"),
        ["move_disk"] = new("tower_of_hanoi", @"Move disk \d+ from Peg \d+ to Peg \d+"),
        ["fill_cell"] = new("mini_sudoku", @"r\dc\d = \d \([a-z ]+\)"),
        ["path_step"] = new("shortest_path", @"(up|down|left|right) \(\d+,\d+\)"),
        ["combine_subresults"] = new("multi_step_arithmetic", @"-?\d+( [-+*/] -?\d+)+ = -?\d+"),
        ["total_counts"] = new("leg_counting", @"Total: \d+( \+ \d+)* = \d+"),
    };

    /// <summary>The default taxonomy; the same every call (fixed seeds), and what tasks/taxonomy/default.json holds.</summary>
    public static Taxonomy Build() => Built.Value;

    // Built once per process: strategy options are checked (and the taxonomy loaded) for every job of a matrix.
    private static readonly Lazy<Taxonomy> Built = new(Create);

    private static Taxonomy Create()
    {
        var leaves = DefaultTaxonomyText.Leaves
            .Select(l => new ThoughtType(l.Id, l.Label, l.Description, 2, [], Sources[l.Id].Take(ExamplesPerLeaf)))
            .ToArray();
        IReadOnlyList<string> Examples(string id) => leaves.Single(l => l.Id == id).Examples;

        var types = DefaultTaxonomyText.Types.Select(t => new ThoughtType(t.Id, t.Label, t.Description, 1,
            leaves.Where(l => DefaultTaxonomyText.ParentOf(l.Id) == t.Id).Select(l => l.Id).ToArray(),
            t.Id switch
            {
                "fact_retrieval" => FirstOfEach(4, Examples("search_query"), Examples("read_fact")),
                "active_computation" => FirstOfEach(1, Examples("add_subtract"), Examples("multiply_divide"), Examples("sub_result"), Examples("count_letters"),
                    Examples("count_legs"), Examples("move_disk"), Examples("fill_cell"), Examples("path_step")),
                "result_consolidation" => FirstOfEach(4, Examples("combine_subresults"), Examples("total_counts")),
                "final_answer_emission" => FirstOfEach(2, FinalAnswers("chain_sum"), FinalAnswers("letter_counting"), FinalAnswers("leg_counting"),
                    new GoldLines("multi_hop_lookup", "So the answer is .+").Take(2)),
                _ => DefaultTaxonomyText.Handwritten[t.Id],
            })).ToArray();

        var stages = DefaultTaxonomyText.Stages.Select(s =>
        {
            var children = types.Where(t => DefaultTaxonomyText.ParentOf(t.Id) == s.Id).ToArray();
            return new ThoughtType(s.Id, s.Label, s.Description, 0, children.Select(c => c.Id).ToArray(),
                FirstOfEach(8 / children.Length, children.Select(c => c.Examples).ToArray()));
        }).ToArray();

        return new Taxonomy(Name, [.. stages, .. types, .. leaves]);
    }

    private static IReadOnlyList<string> FinalAnswers(string task) => new GoldLines(task, "<answer>[^<]+</answer>").Take(2);

    /// <summary>The first <paramref name="each"/> of every list, in list order.</summary>
    private static IReadOnlyList<string> FirstOfEach(int each, params IReadOnlyList<string>[] lists) =>
        lists.SelectMany(l => l.Take(each)).Distinct().ToArray();
}
