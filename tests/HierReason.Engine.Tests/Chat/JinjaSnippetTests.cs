using System.Text.Json;
using HierReason.Engine.Chat.Jinja;

namespace HierReason.Engine.Tests.Chat;

/// <summary>Small templates, each checked against what the real jinja2 renders with transformers' settings
/// (Templates/snippets.expected.json, written by Templates/render_expected.py).</summary>
public class JinjaSnippetTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Chat", "Templates");

    private static readonly Dictionary<string, JsonElement> Cases = Load("snippets.json", "template");

    private static readonly Dictionary<string, JsonElement> Expected = Load("snippets.expected.json", "expected");

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Snippet_renders_what_jinja2_renders(string name)
    {
        var snippet = Cases[name];
        var variables = new Dictionary<string, object?>();
        if (snippet.TryGetProperty("vars", out var vars))
        {
            foreach (var p in vars.EnumerateObject())
                variables[p.Name] = p.Value;
        }

        var now = () => new DateTime(2024, 7, 26, 9, 5, 3);
        var expected = Expected[name];
        if (expected.ValueKind == JsonValueKind.String)
        {
            var template = JinjaTemplate.Parse(snippet.GetProperty("template").GetString()!, "snippet.jinja");
            Assert.Equal(expected.GetString(), template.Render(variables, now));
            return;
        }

        var error = Assert.Throws<JinjaException>(() =>
            JinjaTemplate.Parse(snippet.GetProperty("template").GetString()!, "snippet.jinja").Render(variables, now));
        Assert.StartsWith("snippet.jinja: chat template line 1, column ", error.Message);
        if (name == "raise_exception")
            Assert.EndsWith("the template raised an error: Bad roles: 3", error.Message);
    }

    private static Dictionary<string, JsonElement> Load(string file, string valueKey)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, file)));
        return doc.RootElement.EnumerateArray().ToDictionary(
            c => c.GetProperty("name").GetString()!,
            c => valueKey == "template" ? c.Clone() : c.GetProperty(valueKey).Clone());
    }
}
