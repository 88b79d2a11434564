using System.Security.Cryptography;

namespace HierReason.Harness.Jobs;

/// <summary>
/// Hashes a checkpoint's identity: the bytes of config.json and every *.safetensors file of a model folder (and of an
/// adapter folder). File hashes are cached by path + size + modification time, so a benchmark of many jobs of one
/// model reads its weights once. With a cache file the hashes also survive between runs (<see cref="Save"/>), so a
/// rerun does not read gigabytes of unchanged weights again.
/// </summary>
public sealed class CheckpointHasher
{
    public const string Missing = "missing";

    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly string? _cacheFile;
    private bool _changed;

    /// <param name="cacheFile">A JSON file of "path|size|mtime" → hash; read when it exists, written by <see cref="Save"/>.</param>
    public CheckpointHasher(string? cacheFile = null)
    {
        _cacheFile = cacheFile;
        if (cacheFile is null || !File.Exists(cacheFile)) return;
        try
        {
            var cached = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(cacheFile));
            if (cached is not null) _files = new Dictionary<string, string>(cached, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException)
        {
            // A damaged cache only costs a rehash.
        }
    }

    /// <summary>Writes the cache file (atomically) when new files were hashed.</summary>
    public void Save()
    {
        if (_cacheFile is null || !_changed) return;
        Core.IO.AtomicFile.WriteAllText(_cacheFile, System.Text.Json.JsonSerializer.Serialize(_files));
        _changed = false;
    }

    /// <summary>Hex SHA-256 over the folder's checkpoint files, or <see cref="Missing"/> when the folder does not exist.</summary>
    public string HashFolder(string? folder)
    {
        if (folder is null || !Directory.Exists(folder)) return Missing;
        var files = Directory.EnumerateFiles(folder)
            .Where(f => Path.GetFileName(f) is "config.json" or "adapter_config.json" || f.EndsWith(".safetensors", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0) return Missing;
        using var combined = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            // A FIFO would block the read forever and a device never end: such an entry hashes by its name alone.
            var hash = Core.IO.FileEntries.KindOf(file) == Core.IO.FileEntryKind.RegularFile ? HashFile(file) : "not a regular file";
            combined.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n" + hash + "\n"));
        }
        return Convert.ToHexStringLower(combined.GetHashAndReset());
    }

    private string HashFile(string path)
    {
        var info = new FileInfo(path);
        var key = $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";
        if (_files.TryGetValue(key, out var cached)) return cached;
        using var stream = File.OpenRead(path);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        _files[key] = hash;
        _changed = true;
        return hash;
    }
}
