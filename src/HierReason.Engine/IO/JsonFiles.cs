using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Engine.IO;

/// <summary>Writes the small JSON files of a model folder: indented, via a temporary file renamed into place.</summary>
internal static class JsonFiles
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void WriteAtomic(string path, JsonNode node)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, node.ToJsonString(Indented) + "\n");
        File.Move(temp, path, overwrite: true);
    }
}
