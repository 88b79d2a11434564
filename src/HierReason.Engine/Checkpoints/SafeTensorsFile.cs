using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Checkpoints;

/// <summary>
/// An open, validated <c>.safetensors</c> file (8-byte little-endian header length, JSON header, raw data);
/// tensors are read one at a time straight from disk, so a large file is never copied whole into memory.
/// </summary>
public sealed class SafeTensorsFile : IDisposable
{
    // Real headers are kilobytes; a bigger claim means a corrupt file, and trusting it would allocate gigabytes.
    private const long MaxHeaderBytes = 100L * 1024 * 1024;
    // Chunked reads keep each span below int.MaxValue bytes.
    private const long ChunkBytes = 1L << 28;

    private readonly FileStream _stream;
    private readonly long _dataStart;

    private SafeTensorsFile(string path, FileStream stream, long dataStart, Dictionary<string, SafeTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        Path = path;
        _stream = stream;
        _dataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
    }

    public string Path { get; }
    public IReadOnlyDictionary<string, SafeTensorInfo> Tensors { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and validates the header of <paramref name="path"/>; any inconsistency is an <see cref="EngineException"/> naming the file.</summary>
    public static SafeTensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw new EngineException($"{path}: safetensors file not found");
        // Opening a FIFO blocks until something writes to it; a device never ends.
        if (!IO.ModelFileText.IsRegularFile(path)) throw new EngineException($"{path}: expected a regular safetensors file; found a FIFO, device or socket");
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            var length = stream.Length;
            if (length < 8) throw new EngineException($"{path}: truncated safetensors file ({length} bytes, no header length)");
            Span<byte> prefix = stackalloc byte[8];
            stream.ReadExactly(prefix);
            var headerLength = BitConverter.ToInt64(prefix);
            if (headerLength <= 0 || headerLength > MaxHeaderBytes || 8 + headerLength > length)
                throw new EngineException($"{path}: header length {headerLength} does not fit a file of {length} bytes (corrupt or not safetensors)");
            var header = new byte[headerLength];
            stream.ReadExactly(header);
            var dataStart = 8 + headerLength;
            var (tensors, metadata) = ParseHeader(path, header, length - dataStart);
            return new SafeTensorsFile(path, stream, dataStart, tensors, metadata);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads tensor <paramref name="name"/> and returns it on <paramref name="device"/> (default CPU), converted to <paramref name="dtype"/> when given.</summary>
    public Tensor Read(string name, Device? device = null, ScalarType? dtype = null)
    {
        if (!Tensors.TryGetValue(name, out var info)) throw new EngineException($"{Path}: no tensor '{name}'");
        var (fileType, _) = SafeTensorDType.Lookup(info.DType)
            ?? throw new EngineException($"{Path}: tensor '{name}' has dtype {info.DType}, which this engine cannot read");
        using var scope = NewDisposeScope();
        var host = empty(info.Shape, dtype: fileType);
        if (info.ByteCount > 0)
        {
            var flat = host.view(-1);
            var elementSize = info.ByteCount / info.ElementCount;
            var perChunk = Math.Max(1, ChunkBytes / elementSize);
            _stream.Position = _dataStart + info.Begin;
            for (long start = 0; start < info.ElementCount; start += perChunk)
            {
                var count = Math.Min(perChunk, info.ElementCount - start);
                using var chunk = flat.narrow(0, start, count);
                var read = _stream.ReadAtLeast(chunk.bytes, (int)(count * elementSize), throwOnEndOfStream: false);
                if (read < count * elementSize)
                    throw new EngineException($"{Path}: tensor '{name}' is cut short (file truncated)");
            }
        }
        var result = host.to(dtype ?? fileType, device ?? CPU);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="Read"/> for weights about to be loaded: a tensor holding NaN or infinity (a corrupt or bit-flipped file, or
    /// a value the target dtype cannot hold) is an <see cref="EngineException"/> naming the file and the tensor. A model with
    /// such a weight generates garbage that scores as a plausible 0 %; one pass per tensor is cheap next to reading it.
    /// </summary>
    public Tensor ReadFinite(string name, Device? device = null, ScalarType? dtype = null)
    {
        var tensor = Read(name, device, dtype);
        using (var finite = tensor.isfinite())
        using (var all = finite.all())
        {
            if (all.item<bool>()) return tensor;
        }
        tensor.Dispose();
        var stored = SafeTensorDType.Lookup(Tensors[name].DType)?.Type;
        var converted = dtype is { } target && stored != target ? $" after conversion to {target.ToString().ToLowerInvariant()}" : "";
        throw new EngineException($"{Path}: tensor '{name}' holds non-finite values (NaN or infinity{converted}); the checkpoint is corrupt");
    }

    public void Dispose() => _stream.Dispose();

    private static (Dictionary<string, SafeTensorInfo>, Dictionary<string, string>) ParseHeader(string path, byte[] header, long dataLength)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header); }
        catch (JsonException e) { throw new EngineException($"{path}: header is not valid JSON ({e.Message})", e); }
        using var _ = doc;
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new EngineException($"{path}: header is not a JSON object");

        var tensors = new Dictionary<string, SafeTensorInfo>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                if (entry.Value.ValueKind == JsonValueKind.Object)
                    foreach (var m in entry.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                continue;
            }
            var info = ParseEntry(path, entry);
            if (info.End > dataLength)
                throw new EngineException($"{path}: tensor '{info.Name}' data_offsets [{info.Begin}, {info.End}] run past the data section ({dataLength} bytes; file truncated or corrupt)");
            var size = SafeTensorDType.Lookup(info.DType)?.Size;
            if (size is { } s && info.ByteCount != info.ElementCount * s)
                throw new EngineException($"{path}: tensor '{info.Name}' has {info.ByteCount} bytes, but {info.DType} [{string.Join(", ", info.Shape)}] needs {info.ElementCount * s}");
            tensors[info.Name] = info;
        }
        return (tensors, metadata);
    }

    private static SafeTensorInfo ParseEntry(string path, JsonProperty entry)
    {
        EngineException Bad(string what) => new($"{path}: tensor '{entry.Name}': {what}");
        var value = entry.Value;
        if (value.ValueKind != JsonValueKind.Object) throw Bad("header entry is not an object");
        if (!value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String) throw Bad("missing dtype");
        if (!value.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array) throw Bad("missing shape");
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw Bad("missing data_offsets [begin, end]");
        var dims = shape.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out var n) && n >= 0 ? n : -1).ToArray();
        if (dims.Any(d => d < 0)) throw Bad("shape must hold non-negative integers");
        // A crafted shape whose product wraps around could pass the byte-count check and size an allocation.
        try { _ = dims.Aggregate(16L, (a, b) => checked(a * b)); }
        catch (OverflowException) { throw Bad($"shape [{string.Join(", ", dims)}] has more elements than any file can hold"); }
        if (!offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end) || begin < 0 || end < begin)
            throw Bad($"data_offsets {offsets.GetRawText()} are not 0 <= begin <= end");
        return new SafeTensorInfo(entry.Name, dtype.GetString()!, dims, begin, end);
    }

    internal static byte[] EncodeHeader(string json)
    {
        // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
        var bytes = Encoding.UTF8.GetBytes(json);
        var padded = (bytes.Length + 7) / 8 * 8;
        return padded == bytes.Length ? bytes : [.. bytes, .. Enumerable.Repeat((byte)' ', padded - bytes.Length)];
    }
}
