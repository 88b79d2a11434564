using HierReason.Harness.Jobs;

namespace HierReason.Harness.Tests.Jobs;

public sealed class CheckpointHasherTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void Cache_file_keeps_hashes_by_path_size_and_mtime_between_hashers()
    {
        var model = _dir.Combine("m");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "config.json"), "{}");
        File.WriteAllBytes(Path.Combine(model, "model.safetensors"), [9, 9, 9]);
        var cache = _dir.Combine("cache.json");
        var first = new CheckpointHasher(cache);
        var hash = first.HashFolder(model);
        first.Save();

        // Same path, size and mtime but other bytes: the cached hash is trusted (that is what the cache is for)...
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(model, "model.safetensors"));
        File.WriteAllBytes(Path.Combine(model, "model.safetensors"), [1, 1, 1]);
        File.SetLastWriteTimeUtc(Path.Combine(model, "model.safetensors"), stamp);
        Assert.Equal(hash, new CheckpointHasher(cache).HashFolder(model));
        // ...while a hasher without the cache reads the bytes, and a new mtime invalidates the entry.
        Assert.NotEqual(hash, new CheckpointHasher().HashFolder(model));
        File.SetLastWriteTimeUtc(Path.Combine(model, "model.safetensors"), stamp.AddSeconds(5));
        Assert.NotEqual(hash, new CheckpointHasher(cache).HashFolder(model));
    }

    public void Dispose() => _dir.Dispose();
}
