using System.Security.Cryptography;

namespace HierReason.Harness.Jobs;

/// <summary>
/// Hashes a checkpoint's identity: the bytes of config.json and every *.safetensors file of a model folder (and of an
/// adapter folder). File hashes are cached by path + size + modification time, so a benchmark of many jobs of one
/// model reads its weights once.
/// </summary>
public sealed class CheckpointHasher
{
    public const string Missing = "missing";

    private readonly Dictionary<(string Path, long Size, DateTime Modified), string> _files = [];

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
            combined.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n" + HashFile(file) + "\n"));
        }
        return Convert.ToHexStringLower(combined.GetHashAndReset());
    }

    private string HashFile(string path)
    {
        var info = new FileInfo(path);
        var key = (info.FullName, info.Length, info.LastWriteTimeUtc);
        if (_files.TryGetValue(key, out var cached)) return cached;
        using var stream = File.OpenRead(path);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        _files[key] = hash;
        return hash;
    }
}
