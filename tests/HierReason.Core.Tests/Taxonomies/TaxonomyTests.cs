using HierReason.Core.Taxonomies;
using static HierReason.Core.Tests.Taxonomies.TaxonomyJsonSamples;

namespace HierReason.Core.Tests.Taxonomies;

public class TaxonomyTests
{
    private static ConfigException Broken(string json)
    {
        var e = Assert.Throws<ConfigException>(() => Taxonomy.Parse(json, BrokenFile));
        Assert.Equal(BrokenFile, e.File);
        Assert.StartsWith($"{BrokenFile}: {e.JsonPath}: expected ", e.Message);
        return e;
    }

    [Fact]
    public void A_valid_file_reads_its_levels_nodes_and_defaults()
    {
        var t = Taxonomy.Parse(Valid, "small.json");
        Assert.Equal("small", t.Name);
        Assert.Equal(1, t.MaxLevel);
        Assert.Equal(["compute", "check", "add", "sub", "recheck"], t.Nodes.Select(n => n.Id));
        Assert.Equal(["Add", "Subtract", "Recompute"], t.Level(1).Select(n => n.Label));
        Assert.Equal(["add", "sub"], t.Get("compute").Children);
        Assert.Empty(t.Get("recheck").Children);
        Assert.Empty(t.Get("recheck").Examples);
        Assert.Equal("It is \"7\" & 'eight' < 9", t.Get("add").Examples[1]);
        Assert.Equal("compute", t.ParentOf("sub")!.Id);
        Assert.Null(t.ParentOf("check"));
        Assert.Throws<KeyNotFoundException>(() => t.Get("nope"));
    }

    [Fact]
    public void ToJson_reads_back_equal_and_writes_the_same_text_again()
    {
        var t = Taxonomy.Parse(Valid, "small.json");
        var json = t.ToJson();
        var back = Taxonomy.Parse(json, "again.json");
        Assert.Equal(t.Name, back.Name);
        Assert.Equal(t.Nodes, back.Nodes);
        Assert.Equal(json, back.ToJson());
        Assert.Contains("\"1 + 2 = 3\"", json);
        Assert.Contains("\n  \"nodes\": [", json);
    }

    [Fact]
    public void Write_then_Load_round_trips_and_leaves_no_temp_file()
    {
        var dir = Directory.CreateTempSubdirectory("taxonomy");
        try
        {
            var path = Path.Combine(dir.FullName, "sub", "t.json");
            var t = Taxonomy.Parse(Valid, null);
            t.Write(path);
            Assert.Equal(t.Nodes, Taxonomy.Load(path).Nodes);
            Assert.Equal(["t.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_cycle_is_named_at_the_edge_that_closes_it()
    {
        var e = Broken(Doc(Node("r", "Root", 0, "\"a\""), Node("a", "A", 1, "\"b\""), Node("b", "B", 2, "\"c\""), Node("c", "C", 3, "\"a\"")));
        Assert.Equal("$.nodes[3].children[0]", e.JsonPath);
        Assert.Contains("the cycle a -> b -> c -> a", e.Message);
    }

    [Fact]
    public void A_node_that_is_its_own_child_is_a_cycle()
    {
        var e = Broken(Doc(Node("r", "Root", 0, "\"r\"")));
        Assert.Equal("$.nodes[0].children[0]", e.JsonPath);
        Assert.Contains("the cycle r -> r", e.Message);
    }

    [Fact]
    public void A_duplicate_id_names_the_first_one()
    {
        var e = Broken(Doc(Node("x", "X", 0), Node("y", "Y", 0), Node("z", "Z", 0), Node("w", "W", 0), Node("y", "Y2", 0)));
        Assert.Equal("$.nodes[4].id", e.JsonPath);
        Assert.Contains("a unique id; 'y' is also $.nodes[1].id", e.Message);
    }

    [Fact]
    public void A_level_without_nodes_is_an_empty_level()
    {
        var e = Broken(Doc(Node("a", "A", 0), Node("c", "C", 2)));
        Assert.Equal("$.nodes", e.JsonPath);
        Assert.Contains("a node at every level from 0 to 2; found an empty level 1", e.Message);
    }

    [Theory]
    [InlineData("Add", "Add")]
    [InlineData("Add", "add")]
    [InlineData("Add", "  ADD ")]
    public void Labels_that_collide_within_a_level_are_refused(string first, string second)
    {
        var e = Broken(Doc(Node("r", "Root", 0, "\"a\", \"b\""), Node("a", first, 1), Node("b", second, 1)));
        Assert.Equal("$.nodes[2].label", e.JsonPath);
        Assert.Contains("labels that collide", e.Message);
        Assert.Contains("$.nodes[1].label", e.Message);
    }

    [Fact]
    public void The_same_label_on_two_levels_is_allowed()
    {
        var t = Taxonomy.Parse(Doc(Node("r", "Add", 0, "\"a\""), Node("a", "add", 1)), BrokenFile);
        Assert.Equal(2, t.Nodes.Count);
    }

    [Theory]
    [InlineData("Finish thinking")]
    [InlineData("finish THINKING")]
    [InlineData(" Finish thinking ")]
    public void The_finish_label_is_refused_in_any_case(string label)
    {
        var e = Broken(Doc(Node("a", "A", 0), Node("f", label, 0)));
        Assert.Equal("$.nodes[1].label", e.JsonPath);
        Assert.Contains("Finish thinking", e.Message);
    }

    [Fact]
    public void An_unknown_child_is_named_by_its_index()
    {
        var e = Broken(Doc(Node("a", "A", 0, "\"b\", \"ghost\""), Node("b", "B", 1)));
        Assert.Equal("$.nodes[0].children[1]", e.JsonPath);
        Assert.Contains("found 'ghost'", e.Message);
    }

    [Fact]
    public void A_child_two_levels_down_is_refused()
    {
        var e = Broken(Doc(Node("a", "A", 0, "\"b\""), Node("b", "B", 1, "\"c\""), Node("c", "C", 2), Node("d", "D", 0, "\"c2\""), Node("c2", "C2", 2)));
        Assert.Equal("$.nodes[3].children[0]", e.JsonPath);
        Assert.Contains("a child at level 1", e.Message);
        Assert.Contains("'c2' at level 2 ($.nodes[4].level)", e.Message);
    }

    [Fact]
    public void A_node_with_two_parents_is_refused_at_the_second()
    {
        var e = Broken(Doc(Node("a", "A", 0, "\"c\""), Node("b", "B", 0, "\"c\""), Node("c", "C", 1)));
        Assert.Equal("$.nodes[1].children[0]", e.JsonPath);
        Assert.Contains("'c' is also a child of 'a' ($.nodes[0].children[0])", e.Message);
    }

    [Fact]
    public void A_node_below_level_0_needs_a_parent()
    {
        var e = Broken(Doc(Node("a", "A", 0, "\"b\""), Node("b", "B", 1), Node("o", "Orphan", 1)));
        Assert.Equal("$.nodes[2]", e.JsonPath);
        Assert.Contains("a parent for 'o' at level 1", e.Message);
    }

    [Fact]
    public void A_syntax_error_names_line_and_position()
    {
        var e = Broken("{\"name\": \"t\",\n \"nodes\": [\n {\"id\": \"a\",, }]}");
        Assert.StartsWith("$", e.JsonPath);
        Assert.Contains("expected valid JSON; found a syntax error at line 3, position ", e.Message);
    }

    [Theory]
    [InlineData("[]", "$", "a JSON object")]
    [InlineData("{\"nodes\": []}", "$.name", "a string")]
    [InlineData("{\"name\": \" \", \"nodes\": []}", "$.name", "a non-empty name")]
    [InlineData("{\"name\": \"t\", \"nodes\": []}", "$.nodes", "a non-empty list of nodes")]
    [InlineData("{\"name\": \"t\", \"nodes\": {}}", "$.nodes", "a non-empty list of nodes")]
    [InlineData("{\"name\": \"t\", \"nodes\": [], \"extra\": 1}", "$.extra", "unknown field 'extra'")]
    [InlineData("{\"name\": \"t\", \"nodes\": [3]}", "$.nodes[0]", "a node object")]
    public void The_root_shape_is_checked(string json, string path, string part)
    {
        var e = Broken(json);
        Assert.Equal(path, e.JsonPath);
        Assert.Contains(part, e.Message);
    }

    [Theory]
    [InlineData("{\"id\": \"a\", \"label\": \"A\", \"description\": \"d\", \"level\": 0, \"colour\": 1}", "$.nodes[0].colour")]
    [InlineData("{\"id\": \"a b\", \"label\": \"A\", \"description\": \"d\", \"level\": 0}", "$.nodes[0].id")]
    [InlineData("{\"id\": \"\", \"label\": \"A\", \"description\": \"d\", \"level\": 0}", "$.nodes[0].id")]
    [InlineData("{\"id\": \"a\", \"label\": \"\", \"description\": \"d\", \"level\": 0}", "$.nodes[0].label")]
    [InlineData("{\"id\": \"a\", \"label\": \"two\\nlines\", \"description\": \"d\", \"level\": 0}", "$.nodes[0].label")]
    [InlineData("{\"id\": \"a\", \"label\": \"A\", \"description\": \" \", \"level\": 0}", "$.nodes[0].description")]
    [InlineData("{\"id\": \"a\", \"label\": \"A\", \"level\": 0}", "$.nodes[0].description")]
    [InlineData("{\"id\": \"a\", \"label\": \"A\", \"description\": \"d\", \"level\": -1}", "$.nodes[0].level")]
    [InlineData("{\"id\": \"a\", \"label\": \"A\", \"description\": \"d\", \"level\": 1.5}", "$.nodes[0].level")]
    [InlineData("{\"id\": \"a\", \"label\": \"A\", \"description\": \"d\", \"level\": \"0\"}", "$.nodes[0].level")]
    [InlineData("{\"id\": \"a\", \"label\": \"A\", \"description\": \"d\", \"level\": 0, \"children\": [1]}", "$.nodes[0].children[0]")]
    [InlineData("{\"id\": \"a\", \"label\": \"A\", \"description\": \"d\", \"level\": 0, \"examples\": \"x\"}", "$.nodes[0].examples")]
    [InlineData("{\"id\": \"a\", \"label\": \"A\", \"description\": \"d\", \"level\": 0, \"examples\": [\"ok\", \"\"]}", "$.nodes[0].examples[1]")]
    public void A_malformed_node_field_is_named(string node, string path)
    {
        Assert.Equal(path, Broken(Doc(node)).JsonPath);
    }

    [Fact]
    public void A_label_longer_than_80_characters_is_refused()
    {
        var e = Broken(Doc(Node("a", new string('x', 81), 0)));
        Assert.Equal("$.nodes[0].label", e.JsonPath);
        Assert.Contains("at most 80 characters; found 81 characters", e.Message);
    }

    [Fact]
    public void A_taxonomy_built_in_code_is_checked_like_a_file()
    {
        ThoughtType Leaf(string id, string label, int level, params string[] children) => new(id, label, "d", level, children, []);
        var e = Assert.Throws<ConfigException>(() => new Taxonomy("t", [Leaf("a", "A", 0, "b"), Leaf("b", "B", 1, "ghost")]));
        Assert.Null(e.File);
        Assert.Equal("$.nodes[1].children[0]", e.JsonPath);
        Assert.Equal("$.nodes[1].children[0]: expected the id of a node in this taxonomy; found 'ghost'", e.Message);
    }

    [Fact]
    public void Load_names_a_missing_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-taxonomy-{Guid.NewGuid():N}.json");
        var e = Assert.Throws<HierReasonException>(() => Taxonomy.Load(path));
        Assert.Equal($"{path}: no such file", e.Message);
    }
}
