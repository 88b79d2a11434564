using HierReason.Core.Taxonomies;

namespace HierReason.Cli.Tests.Commands;

public sealed class TaxonomyCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hierreason-cli-taxonomy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Node(string id, string label, int level, string children = "") =>
        $$"""{"id": "{{id}}", "label": "{{label}}", "description": "the {{id}} step", "level": {{level}}, "children": [{{children}}], "examples": ["{{id}} 1"]}""";

    private static string Doc(params string[] nodes) => $$"""{"name": "small", "nodes": [{{string.Join(",\n", nodes)}}]}""";

    private static readonly string Small = Doc(Node("compute", "Active computation", 0, "\"add\", \"sub\""), Node("check", "Self checking", 0),
        Node("add", "Add", 1), Node("sub", "Subtract", 1));

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Check_prints_the_name_and_each_levels_labels()
    {
        var path = Write("small.json", Small);
        var run = await CliRun.Of("taxonomy", "check", path);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            [$"{path}: valid taxonomy 'small', 4 nodes, levels 0-1", "level 0 (2 nodes): Active computation, Self checking", "level 1 (2 nodes): Add, Subtract"],
            run.Lines);
    }

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "cycle", Doc(Node("r", "R", 0, "\"a\""), Node("a", "A", 1, "\"b\""), Node("b", "B", 2, "\"a\"")), "$.nodes[2].children[0]: expected a tree without cycles; found the cycle a -> b -> a" },
        { "duplicate id", Doc(Node("a", "A", 0), Node("a", "B", 0)), "$.nodes[1].id: expected a unique id; 'a' is also $.nodes[0].id" },
        { "empty level", Doc(Node("a", "A", 0), Node("b", "B", 2)), "$.nodes: expected a node at every level from 0 to 2; found an empty level 1" },
        { "labels that collide", Doc(Node("a", "Add", 0), Node("b", "ADD", 0)), "$.nodes[1].label: expected a label distinct within level 0" },
        { "finish label", Doc(Node("a", "A", 0), Node("f", "finish thinking", 0)), "$.nodes[1].label: expected a label other than 'Finish thinking'" },
        { "unknown child", Doc(Node("a", "A", 0, "\"zz\"")), "$.nodes[0].children[0]: expected the id of a node in this taxonomy; found 'zz'" },
        { "wrong child level", Doc(Node("a", "A", 0, "\"b\""), Node("b", "B", 1, "\"c\""), Node("c", "C", 1)), "$.nodes[1].children[0]: expected a child at level 2 (one below 'b' at level 1); found 'c' at level 1 ($.nodes[2].level)" },
        { "two parents", Doc(Node("a", "A", 0, "\"c\""), Node("b", "B", 0, "\"c\""), Node("c", "C", 1)), "$.nodes[1].children[0]: expected a child with one parent; found 'c' is also a child of 'a'" },
        { "bad json", "{\"name\": \"t\", \"nodes\": [\n  {\"id\": \"a\" \"label\": \"A\"}]}", "$: expected valid JSON; found a syntax error at line 2, position 14" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_malformed_file_exits_2_naming_the_file_and_path(string name, string json, string error)
    {
        var path = Write(name.Replace(' ', '-') + ".json", json);
        var run = await CliRun.Of("taxonomy", "check", path);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: {path}: {error}", run.Err);
        Assert.DoesNotContain("   at ", run.Err);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Check_and_show_name_a_missing_file_and_exit_2()
    {
        var missing = Path.Combine(_dir, "nope.json");
        foreach (var args in new[] { new[] { "taxonomy", "check", missing }, ["taxonomy", "show", missing] })
        {
            var run = await CliRun.Of(args);
            Assert.Equal(2, run.ExitCode);
            Assert.Equal($"error: {missing}: no such file", run.Err.Trim());
        }
    }

    [Fact]
    public async Task Show_prints_the_tree_indented_by_level()
    {
        var run = await CliRun.Of("taxonomy", "show", Write("small.json", Small));
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
        [
            "small (4 nodes, levels 0-1)",
            "  Active computation [compute, 1 examples]: the compute step",
            "    Add [add, 1 examples]: the add step",
            "    Subtract [sub, 1 examples]: the sub step",
            "  Self checking [check, 1 examples]: the check step",
        ], run.Out.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Show_level_lists_the_options_and_the_finish_choice()
    {
        var path = Write("small.json", Small);
        var run = await CliRun.Of("taxonomy", "show", path, "--level", "1");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["\"Add\": the add step", "\"Subtract\": the sub step", "\"Finish thinking\": Finish thinking about the problem and answer."], run.Lines);

        var beyond = await CliRun.Of("taxonomy", "show", path, "--level", "2");
        Assert.Equal(2, beyond.ExitCode);
        Assert.Contains("--level 2: expected a level of taxonomy 'small', 0 to 1", beyond.Err);
    }

    [Fact]
    public async Task Default_writes_what_Build_gives_and_check_accepts_it()
    {
        var path = Path.Combine(_dir, "out", "default.json");
        var run = await CliRun.Of("taxonomy", "default", "--output", path);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"wrote {path} (24 nodes, levels 0-2)", run.Out.Trim());
        Assert.Equal(DefaultTaxonomy.Build().ToJson(), File.ReadAllText(path));
        Assert.Equal(0, (await CliRun.Of("taxonomy", "check", path)).ExitCode);
    }

    private const string Gml = """
        graph [
          directed 1
          node [ id 0 label "0" ]
          node [ id 1 label "Tactical &#34;Evaluation&#34;" ]
          node [ id 2 label "Square Verification" ]
          edge [ source 0 target 1 ]
          edge [ source 1 target 2 ]
        ]
        """;

    private const string Labels = "label,description,level,node_id\n\"Tactical \"\"Evaluation\"\"\",\"Weigh threats, captures\nand checks.\",0,1\nSquare Verification,Confirm a square.,1,2\n";

    [Fact]
    public async Task Import_writes_a_taxonomy_that_check_accepts()
    {
        var chunk = string.Join(' ', Enumerable.Repeat("square", 55));
        var chunks = Write("labeled_chunks__level-1.csv", $"chunks,labels\n\"{chunk}\",Square Verification\n");
        var output = Path.Combine(_dir, "imported.json");
        var run = await CliRun.Of("taxonomy", "import", "--gml", Write("tree.gml", Gml), "--labels", Write("labels.csv", Labels),
            "--chunks", chunks, "--name", "chess", "--output", output);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"wrote {output}: 'chess', 2 nodes, levels 0-1, 1 examples", run.Out.Trim());
        var t = Taxonomy.Load(output);
        Assert.Equal(["n1", "n2"], t.Nodes.Select(n => n.Id));
        Assert.Equal("Tactical \"Evaluation\"", t.Get("n1").Label);
        Assert.Equal("Weigh threats, captures\nand checks.", t.Get("n1").Description);
        Assert.Equal([chunk], t.Get("n2").Examples);
        Assert.Equal(0, (await CliRun.Of("taxonomy", "check", output)).ExitCode);
    }

    [Fact]
    public async Task Import_names_a_missing_input_and_exits_2()
    {
        var missing = Path.Combine(_dir, "labeled_chunks__level-0.csv");
        var run = await CliRun.Of("taxonomy", "import", "--gml", Write("tree.gml", Gml), "--labels", Write("labels.csv", Labels),
            "--chunks", missing, "--output", Path.Combine(_dir, "x.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: {missing}: no such file", run.Err.Trim());
        Assert.False(File.Exists(Path.Combine(_dir, "x.json")));
    }

    [Fact]
    public async Task Import_of_a_cyclic_graph_exits_2_with_the_cycle()
    {
        var gml = Write("cycle.gml", "graph [ node [ id 1 ] node [ id 2 ] edge [ source 1 target 2 ] edge [ source 2 target 1 ] ]");
        var run = await CliRun.Of("taxonomy", "import", "--gml", gml, "--labels", Write("l.csv", "label,description,level,node_id\nA,a,0,1\nB,b,1,2\n"),
            "--output", Path.Combine(_dir, "x.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: {gml}: expected a tree without cycles; found the cycle 1 -> 2 -> 1 (GML node ids, parent -> child)", run.Err.Trim());
    }
}
