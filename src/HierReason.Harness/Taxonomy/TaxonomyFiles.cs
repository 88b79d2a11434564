using System.Text.Json;
using HierReason.Core.IO;
using HierReason.Core.Json;

namespace HierReason.Harness.Thinking;

/// <summary>Writes a <see cref="TaxonomyReport"/> beside the results it reads, each file atomically: taxonomy.json, taxonomy.md and the heatmap as PNG and SVG.</summary>
public static class TaxonomyFiles
{
    public const string JsonName = "taxonomy.json";
    public const string MarkdownName = "taxonomy.md";
    public const string HeatmapPngName = "taxonomy-types.png";
    public const string HeatmapSvgName = "taxonomy-types.svg";

    /// <summary>Writes the files into <paramref name="folder"/>; returns their paths, the JSON first.</summary>
    public static IReadOnlyList<string> Write(TaxonomyReport report, string folder)
    {
        Directory.CreateDirectory(folder);
        var json = Path.Combine(folder, JsonName);
        AtomicFile.WriteAllText(json, JsonSerializer.Serialize(report, HierJson.Indented) + "\n");
        var markdown = Path.Combine(folder, MarkdownName);
        AtomicFile.WriteAllText(markdown, TaxonomyMarkdown.Render(report));
        var heatmap = ThoughtTypeHeatmap.Of(report);
        var png = Path.Combine(folder, HeatmapPngName);
        AtomicFile.WriteAllBytes(png, heatmap.RenderPng());
        var svg = Path.Combine(folder, HeatmapSvgName);
        AtomicFile.WriteAllText(svg, heatmap.RenderSvg());
        return [json, markdown, png, svg];
    }
}
