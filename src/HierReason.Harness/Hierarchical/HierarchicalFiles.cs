using System.Text.Json;
using HierReason.Core.IO;
using HierReason.Core.Json;

namespace HierReason.Harness.Hierarchical;

/// <summary>Writes a <see cref="HierarchicalReport"/> beside the results it reads: <c>hierarchical.json</c> and <c>hierarchical.md</c>.</summary>
public static class HierarchicalFiles
{
    public const string JsonName = "hierarchical.json";
    public const string MarkdownName = "hierarchical.md";

    /// <summary>Writes both files into <paramref name="folder"/>; returns their paths, the JSON first.</summary>
    public static IReadOnlyList<string> Write(HierarchicalReport report, string folder)
    {
        Directory.CreateDirectory(folder);
        var json = Path.Combine(folder, JsonName);
        AtomicFile.WriteAllText(json, JsonSerializer.Serialize(report, HierJson.Indented) + "\n");
        var markdown = Path.Combine(folder, MarkdownName);
        AtomicFile.WriteAllText(markdown, HierarchicalMarkdown.Render(report));
        return [json, markdown];
    }
}
