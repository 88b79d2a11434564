using HierReason.Core.Tasks;
using HierReason.Core.Taxonomies;

namespace HierReason.Core.Tests.Taxonomies;

public class DefaultTaxonomyTests
{
    private static readonly Taxonomy Default = DefaultTaxonomy.Build();

    [Fact]
    public void Has_three_stages_over_thought_anchors_eight_types_over_task_leaves()
    {
        Assert.Equal(2, Default.MaxLevel);
        Assert.Equal(["Orient", "Work", "Verify and conclude"], Default.Level(0).Select(n => n.Label));
        Assert.Equal(["problem_setup", "plan_generation", "fact_retrieval", "active_computation", "uncertainty_management",
            "result_consolidation", "self_checking", "final_answer_emission"], Default.Level(1).Select(n => n.Id));
        Assert.Equal(DefaultTaxonomy.Sources.Keys.Order(), Default.Level(2).Select(n => n.Id).Order());
        Assert.Equal(["problem_setup", "plan_generation"], Default.Get("orient").Children);
        Assert.Equal("active_computation", Default.ParentOf("move_disk")!.Id);
        Assert.Equal("result_consolidation", Default.ParentOf("combine_subresults")!.Id);
        Assert.Equal("fact_retrieval", Default.ParentOf("search_query")!.Id);
    }

    [Fact]
    public void Every_node_has_5_to_10_distinct_single_line_examples()
    {
        foreach (var node in Default.Nodes)
        {
            Assert.InRange(node.Examples.Count, 5, 10);
            Assert.Equal(node.Examples.Count, node.Examples.Distinct().Count());
            Assert.All(node.Examples, e => Assert.DoesNotContain('\n', e));
        }
    }

    [Fact]
    public void Task_leaf_examples_are_lines_of_their_tasks_gold_traces()
    {
        foreach (var (id, source) in DefaultTaxonomy.Sources)
        {
            var lines = TaskDataset.Create(source.Task, Split.Train, DefaultTaxonomy.ExampleSeed, DefaultTaxonomy.ItemsPerTask)
                .SelectMany(i => i.Solution.Split('\n').Select(l => l.Trim())).ToHashSet();
            Assert.All(Default.Get(id).Examples, e => Assert.Contains(e, lines));
        }
        Assert.Contains("Move disk", Default.Get("move_disk").Examples[0]);
        Assert.Matches(@"^r\dc\d = \d \(", Default.Get("fill_cell").Examples[0]);
        Assert.Matches(@"^-?\d+ [+-] -?\d+ = -?\d+$", Default.Get("add_subtract").Examples[0]);
    }

    [Fact]
    public void Building_twice_gives_the_same_taxonomy()
    {
        Assert.Equal(Default.ToJson(), DefaultTaxonomy.Build().ToJson());
    }

    [Fact]
    public void The_shipped_default_json_equals_Build()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "HierReason.sln"))) root = Path.GetDirectoryName(root)!;
        var shipped = File.ReadAllText(Path.Combine(root, "tasks", "taxonomy", "default.json"));
        Assert.True(shipped == DefaultTaxonomy.Build().ToJson("../../schemas/taxonomy.schema.json"),
            "tasks/taxonomy/default.json differs from DefaultTaxonomy.Build(): regenerate with hierreason taxonomy default --output tasks/taxonomy/default.json");
    }
}
