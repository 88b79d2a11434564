using HierReason.Core.Taxonomies;
using Source = HierReason.Core.Taxonomies.SeedTaxonomyImporter.Source;

namespace HierReason.Core.Tests.Taxonomies;

public class SeedTaxonomyImporterTests
{
    // Node 0 (the root) has no row, so it is dropped; a description holds a quoted comma, a newline and doubled quotes.
    private const string Labels =
        "label,description,level,node_id\r\n" +
        "Tactical Evaluation,\"Weigh threats, captures and checks.\",0,1\r\n" +
        "Square Verification,\"Confirm which piece\nstands on a \"\"square\"\".\",1,2\r\n" +
        "Pawn Dynamics,Reason about pawn structure.,0,3\r\n" +
        "Knight Movement,Trace where a knight can jump.,1,4\r\n";

    private static string Words(int count, string word) => string.Join(' ', Enumerable.Repeat(word, count));

    private static Taxonomy Import(string gml = GmlReaderTests.SeedLikeGml, string labels = Labels, int max = 30, params Source[] chunks) =>
        SeedTaxonomyImporter.Import("chess", new Source("tree.gml", gml), new Source("labels.csv", labels), chunks, max);

    [Fact]
    public void The_unlabelled_root_is_dropped_and_levels_are_depths_below_it()
    {
        var t = Import();
        Assert.Equal("chess", t.Name);
        Assert.Equal(["n1", "n3", "n2", "n4"], t.Nodes.Select(n => n.Id));
        Assert.Equal([0, 0, 1, 1], t.Nodes.Select(n => n.Level));
        Assert.Equal(["n2"], t.Get("n1").Children);
        Assert.Equal(["n4"], t.Get("n3").Children);
        Assert.Equal("Square Verification", t.Get("n2").Label);
        Assert.Equal("Confirm which piece\nstands on a \"square\".", t.Get("n2").Description);
        Assert.Equal("Weigh threats, captures and checks.", t.Get("n1").Description);
    }

    [Fact]
    public void A_labelled_root_stays_at_level_0()
    {
        var t = Import(labels: Labels + "Chess thinking,Everything about the position.,0,0\n");
        Assert.Equal(["n0", "n1", "n3", "n2", "n4"], t.Nodes.Select(n => n.Id));
        Assert.Equal(2, t.MaxLevel);
        Assert.Equal(["n1", "n3"], t.Get("n0").Children);
    }

    [Fact]
    public void Examples_are_chunks_of_50_to_400_words_in_file_order_up_to_the_maximum()
    {
        var level0 = new Source("chunks0.csv",
            "chunks,labels\n" +
            $"\"{Words(49, "short")}\",Tactical Evaluation\n" +
            $"\"{Words(50, "first,")}\",Tactical Evaluation\n" +
            $"\"{Words(401, "long")}\",Tactical Evaluation\n" +
            $"\"{Words(60, "pawn")}\",Pawn Dynamics\n" +
            $"\"{Words(400, "second")}\",tactical evaluation\n" +
            $"\"{Words(70, "third")}\",Tactical Evaluation\n");
        var level1 = new Source("chunks1.csv", $"chunks,labels\n\"{Words(80, "\"\"knight\"\"")}\",Knight Movement\n");
        var t = Import(max: 2, chunks: [level0, level1]);
        Assert.Equal([Words(50, "first,"), Words(400, "second")], t.Get("n1").Examples);
        Assert.Equal([Words(60, "pawn")], t.Get("n3").Examples);
        Assert.Equal([Words(80, "\"knight\"")], t.Get("n4").Examples);
        Assert.Empty(t.Get("n2").Examples);
    }

    [Fact]
    public void A_node_without_a_row_takes_the_gmls_label_and_description()
    {
        var gml = "graph [ node [ id 0 ] node [ id 5 label \"Knight Movement\" description \"Trace a knight&#39;s jumps.\" ] edge [ source 0 target 5 ] ]";
        var t = Import(gml, "label,description,level,node_id\n");
        var node = Assert.Single(t.Nodes);
        Assert.Equal(("n5", "Knight Movement", "Trace a knight's jumps.", 0), (node.Id, node.Label, node.Description, node.Level));
    }

    [Fact]
    public void A_cyclic_graph_is_rejected_with_its_cycle()
    {
        var gml = "graph [ node [ id 0 label \"r\" ] node [ id 1 ] node [ id 2 ] node [ id 3 ]\n" +
                  "edge [ source 0 target 1 ] edge [ source 1 target 2 ] edge [ source 2 target 3 ] edge [ source 3 target 1 ] ]";
        var labels = "label,description,level,node_id\nA,a,0,1\nB,b,1,2\nC,c,2,3\n";
        var e = Assert.Throws<HierReasonException>(() => Import(gml, labels));
        Assert.Equal("tree.gml: expected a tree without cycles; found the cycle 1 -> 2 -> 3 -> 1 (GML node ids, parent -> child)", e.Message);
    }

    [Fact]
    public void A_node_with_two_parents_is_rejected()
    {
        var gml = "graph [ node [ id 0 ] node [ id 1 ] node [ id 2 ]\nedge [ source 0 target 2 ]\nedge [ source 1 target 2 ] ]";
        var e = Assert.Throws<HierReasonException>(() => Import(gml, "label,description,level,node_id\nA,a,0,0\nB,b,0,1\nC,c,1,2\n"));
        Assert.Equal("tree.gml:3: expected a tree (one parent per node); found node 2 with parents 0 (line 2) and 1", e.Message);
    }

    [Fact]
    public void Labels_that_collide_after_import_fail_the_taxonomy_checks()
    {
        var e = Assert.Throws<ConfigException>(() => Import(labels: Labels.Replace("Pawn Dynamics", "TACTICAL evaluation")));
        Assert.Equal("tree.gml (imported)", e.File);
        Assert.Equal("$.nodes[1].label", e.JsonPath);
    }

    [Theory]
    [InlineData("label,description,level,node_id\nA,a,0,9\n", "labels.csv: row 2: node_id 9 is not a node of tree.gml")]
    [InlineData("label,description,level,node_id\nA,\"a\nb\",0,1\nB,b,0,x\n", "labels.csv: row 3 (line 4): expected an integer node_id; found 'x'")]
    [InlineData("label,description,level,node_id\nA,a,0,1\nB,b,0,1\n", "labels.csv: row 3: node_id 1 is also on row 2")]
    [InlineData("label,description,node_id\nA,a,1\n", "labels.csv: row 1 (the header): expected a column 'level'")]
    [InlineData("label,description,level,node_id\nA,a,0,1\nB,\"unclosed,0,2\n", "labels.csv: line 3: expected a closing '\"'")]
    [InlineData("label,description,level,node_id\nA,,0,1\n", "labels.csv: row 2: expected a description for node 1")]
    [InlineData("label,description,level,node_id\nA,a,0,1\n", "labels.csv: expected a row for node 3 (tree.gml line 20, label 'Pawn Dynamics'); found none, and the GML gives it no label and description")]
    public void A_bad_labels_file_names_the_file_and_row(string labels, string start)
    {
        var e = Assert.Throws<HierReasonException>(() => Import(labels: labels));
        Assert.StartsWith(start, e.Message);
    }

    [Fact]
    public void A_chunks_file_without_its_columns_is_named()
    {
        var e = Assert.Throws<HierReasonException>(() => Import(chunks: new Source("chunks.csv", "text,labels\nx,y\n")));
        Assert.Equal("labels.csv: expected a header row; found an empty file", Assert.Throws<HierReasonException>(() => Import(labels: "")).Message);
        Assert.StartsWith("chunks.csv: row 1 (the header): expected a column 'chunks'; found 'text', 'labels'", e.Message);
    }
}
