using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Checkpoints;

/// <summary>Writes tensors as <c>.safetensors</c> atomically (temp file, then rename), optionally sharded with a HF index.</summary>
public static class SafeTensorsWriter
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/>, each converted to <paramref name="dtype"/> when given.</summary>
    public static void Write(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors, ScalarType? dtype = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var duplicate = tensors.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"tensor name '{duplicate.Key}' appears twice");

        var header = new JsonObject();
        var meta = new JsonObject { ["format"] = "pt" };
        if (metadata is not null) foreach (var (k, v) in metadata) meta[k] = v;
        header["__metadata__"] = meta;
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            var type = dtype ?? tensor.dtype;
            var bytes = tensor.numel() * SafeTensorDType.Size(type);
            header[name] = new JsonObject
            {
                ["dtype"] = SafeTensorDType.Name(type),
                ["shape"] = new JsonArray(tensor.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }

        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var headerBytes = SafeTensorsFile.EncodeHeader(header.ToJsonString());
                stream.Write(BitConverter.GetBytes((long)headerBytes.Length));
                stream.Write(headerBytes);
                foreach (var (_, tensor) in tensors) WriteData(stream, tensor, dtype ?? tensor.dtype);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            if (File.Exists(temp)) File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Writes a checkpoint's weights into <paramref name="directory"/>: one <c>model.safetensors</c> when they fit in
    /// <paramref name="maxShardBytes"/>, else <c>model-0000i-of-0000n.safetensors</c> plus <c>model.safetensors.index.json</c>.
    /// </summary>
    public static IReadOnlyList<string> WriteCheckpoint(string directory, IReadOnlyList<(string Name, Tensor Tensor)> tensors, ScalarType? dtype = null, long maxShardBytes = long.MaxValue)
    {
        Directory.CreateDirectory(directory);
        long Size((string Name, Tensor Tensor) t) => t.Tensor.numel() * SafeTensorDType.Size(dtype ?? t.Tensor.dtype);
        var shards = new List<List<(string Name, Tensor Tensor)>> { new() };
        long current = 0;
        foreach (var t in tensors)
        {
            if (current > 0 && current + Size(t) > maxShardBytes)
            {
                shards.Add([]);
                current = 0;
            }
            shards[^1].Add(t);
            current += Size(t);
        }

        // Remove whichever layout is not being written, so a loader never sees a stale mix.
        var staleIndex = Path.Combine(directory, IndexFileName);
        if (shards.Count == 1)
        {
            Write(Path.Combine(directory, SingleFileName), shards[0], dtype);
            if (File.Exists(staleIndex)) File.Delete(staleIndex);
            return [SingleFileName];
        }

        var names = Enumerable.Range(1, shards.Count).Select(i => $"model-{i:D5}-of-{shards.Count:D5}.safetensors").ToArray();
        var weightMap = new JsonObject();
        for (var i = 0; i < shards.Count; i++)
        {
            Write(Path.Combine(directory, names[i]), shards[i], dtype);
            foreach (var (name, _) in shards[i]) weightMap[name] = names[i];
        }
        var index = new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = tensors.Sum(Size) },
            ["weight_map"] = weightMap,
        };
        IO.JsonFiles.WriteAtomic(staleIndex, index);
        var single = Path.Combine(directory, SingleFileName);
        if (File.Exists(single)) File.Delete(single);
        return names;
    }

    private static void WriteData(Stream stream, Tensor tensor, ScalarType dtype)
    {
        if (tensor.numel() == 0) return;
        using var scope = NewDisposeScope();
        var host = tensor.detach().to(dtype, CPU).contiguous().view(-1);
        var elementSize = SafeTensorDType.Size(dtype);
        var perChunk = Math.Max(1, (1L << 28) / elementSize);
        for (long start = 0; start < host.numel(); start += perChunk)
        {
            var chunk = host.narrow(0, start, Math.Min(perChunk, host.numel() - start));
            stream.Write(chunk.bytes);
        }
    }
}
