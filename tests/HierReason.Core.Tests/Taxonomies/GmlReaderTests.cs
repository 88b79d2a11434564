using HierReason.Core.Taxonomies;

namespace HierReason.Core.Tests.Taxonomies;

public class GmlReaderTests
{
    // As networkx.write_gml writes a labelled DiGraph: '"' and '&' as character references, nested attribute lists.
    public const string SeedLikeGml = """
        graph [
          directed 1
          multigraph 0
          name "labeled tree"
          node [
            id 0
            label "0"
            size 512
          ]
          node [
            id 1
            label "Tactical Evaluation"
            centroid [ x 0.25 y -1.5e-3 ]
            weight -2
          ]
          node [
            id 2
            label "Square &#34;Verification&#34; &amp; more"
          ]
          node [
            id 3
            label "Pawn Dynamics"
          ]
          node [
            id 4
            label "Knight &quot;Movement&quot; &#233;"
          ]
          edge [
            source 0
            target 1
            weight 0.5
          ]
          edge [
            source 0
            target 3
          ]
          edge [
            source 1
            target 2
          ]
          edge [
            source 3
            target 4
          ]
        ]
        """;

    [Fact]
    public void Reads_nodes_edges_and_decodes_character_references()
    {
        var g = GmlReader.Read(SeedLikeGml, "tree.gml");
        Assert.Equal([0L, 1, 2, 3, 4], g.Nodes.Select(n => n.Id));
        Assert.Equal(["0", "Tactical Evaluation", "Square \"Verification\" & more", "Pawn Dynamics", "Knight \"Movement\" é"], g.Nodes.Select(n => n.Label));
        Assert.Equal([(0L, 1L), (0, 3), (1, 2), (3, 4)], g.Edges.Select(e => (e.Source, e.Target)));
        Assert.Equal(5, g.Nodes[0].Line);
    }

    [Fact]
    public void A_node_without_a_label_has_a_null_label()
    {
        var g = GmlReader.Read("graph [ node [ id 7 ] ]", "t.gml");
        Assert.Null(Assert.Single(g.Nodes).Label);
        Assert.Equal(7, g.Nodes[0].Id);
    }

    [Theory]
    [InlineData("graph [\n  node [ id 0 label \"a\" ]\n  node [ id 1 label 'b' ]\n]", "t.gml:3:21: expected a value for 'label'")]
    [InlineData("graph [\n  node [ id 0\n", "t.gml:3:1: expected a key or ']'; found the end of the file")]
    [InlineData("graph [ node [ id 0 label \"open ] ]", "t.gml:1:27: expected a closing '\"'")]
    [InlineData("graph [ node [ id 0 ] ] ]", "t.gml:1:25: expected a key; found ']'")]
    [InlineData("graph [ node [ id 1.5 ] ]", "t.gml:1:16: expected an integer id; found 1.5")]
    [InlineData("graph [ node [ label \"x\" ] ]", "t.gml:1:9: expected 'id' in this node; found none")]
    [InlineData("graph [ node [ id 0 ] node [ id 0 ] ]", "t.gml:1:30: expected a unique node id; found 0, also the id of the node at line 1")]
    [InlineData("node [ id 0 ]", "t.gml: expected a 'graph [ … ]' block")]
    [InlineData("graph [ node [ id 0 ] 12 ]", "t.gml:1:23: expected a key")]
    public void A_syntax_error_names_file_line_and_column(string gml, string start)
    {
        var e = Assert.Throws<HierReasonException>(() => GmlReader.Read(gml, "t.gml"));
        Assert.StartsWith(start, e.Message);
    }

    [Fact]
    public void An_edge_to_an_undeclared_node_is_refused()
    {
        var e = Assert.Throws<HierReasonException>(() => GmlReader.Read("graph [\n node [ id 0 ]\n edge [ source 0 target 9 ]\n]", "t.gml"));
        Assert.StartsWith("t.gml:3: expected an edge between declared nodes; found node 9", e.Message);
    }
}
