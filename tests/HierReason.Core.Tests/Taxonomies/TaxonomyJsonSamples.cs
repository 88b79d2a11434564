namespace HierReason.Core.Tests.Taxonomies;

/// <summary>Small taxonomy.json texts for the tests: a valid two-level one, and nodes to build broken ones from.</summary>
internal static class TaxonomyJsonSamples
{
    public const string BrokenFile = "broken/taxonomy.json";

    public static string Node(string id, string label, int level, string children = "", string extra = "") =>
        $$"""{"id": "{{id}}", "label": "{{label}}", "description": "the {{id}} step", "level": {{level}}, "children": [{{children}}]{{extra}}}""";

    public static string Doc(params string[] nodes) => $$"""{"name": "t", "nodes": [{{string.Join(",\n", nodes)}}]}""";

    // compute (0) → add, sub (1); check (0) → recheck (1)
    public static string Valid { get; } = $$"""
        {
          "$schema": "https://example.org/taxonomy.schema.json",
          "name": "small",
          "nodes": [
            {"id": "compute", "label": "Active computation", "description": "Do one operation.", "level": 0, "children": ["add", "sub"], "examples": ["3 + 4 = 7"]},
            {"id": "check", "label": "Self checking", "description": "Check a result.", "level": 0, "children": ["recheck"]},
            {"id": "add", "label": "Add", "description": "Add two numbers.", "level": 1, "examples": ["1 + 2 = 3", "It is \"7\" & 'eight' < 9"]},
            {"id": "sub", "label": "Subtract", "description": "Subtract.", "level": 1, "children": [], "examples": []},
            {"id": "recheck", "label": "Recompute", "description": "Do it again.\nSlowly.", "level": 1}
          ]
        }
        """;
}
