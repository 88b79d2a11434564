using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Engine.Checkpoints;

/// <summary>The safetensors files of a HF checkpoint directory and which file holds each tensor (single file or sharded index).</summary>
public sealed record CheckpointFiles(string Directory, IReadOnlyDictionary<string, string> WeightFileByName)
{
    /// <summary>Finds <c>model.safetensors</c> or <c>model.safetensors.index.json</c> in <paramref name="directory"/>.</summary>
    public static CheckpointFiles Locate(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) throw new EngineException($"{directory}: checkpoint directory not found");
        var single = Path.Combine(directory, SafeTensorsWriter.SingleFileName);
        if (File.Exists(single))
        {
            using var file = SafeTensorsFile.Open(single);
            return new CheckpointFiles(directory, file.Tensors.Keys.ToDictionary(k => k, _ => single, StringComparer.Ordinal));
        }
        var indexPath = Path.Combine(directory, SafeTensorsWriter.IndexFileName);
        if (!File.Exists(indexPath))
            throw new EngineException($"{directory}: no {SafeTensorsWriter.SingleFileName} or {SafeTensorsWriter.IndexFileName} (only safetensors checkpoints are supported)");

        JsonNode? root;
        try { root = JsonNode.Parse(IO.ModelFileText.Read(indexPath)); }
        catch (JsonException e) { throw new EngineException($"{indexPath}: not valid JSON ({e.Message})", e); }
        if (root?["weight_map"] is not JsonObject map) throw new EngineException($"{indexPath}: $.weight_map: expected an object of tensor name → shard file");
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, node) in map)
        {
            var shard = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if (shard is null || shard.Contains('/') || shard.Contains('\\'))
                throw new EngineException($"{indexPath}: $.weight_map.{name}: expected a shard file name in the same directory");
            var shardPath = Path.Combine(directory, shard);
            if (!File.Exists(shardPath)) throw new EngineException($"{indexPath}: shard '{shard}' (holding {name}) is missing");
            files[name] = shardPath;
        }
        return new CheckpointFiles(directory, files);
    }
}
