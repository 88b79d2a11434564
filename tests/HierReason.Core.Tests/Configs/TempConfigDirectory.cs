namespace HierReason.Core.Tests.Configs;

/// <summary>A scratch directory for config files, removed when the test ends.</summary>
public sealed class TempConfigDirectory : IDisposable
{
    public TempConfigDirectory()
    {
        Root = Path.Combine(Path.GetTempPath(), "hierreason-config-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "tasks"));
    }

    public string Root { get; }

    public string TasksDirectory => Path.Combine(Root, "tasks");

    /// <summary>Writes <paramref name="json"/> to <paramref name="relativePath"/> and returns its full path.</summary>
    public string Write(string relativePath, string json)
    {
        var path = Path.Combine(Root, relativePath);
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* a leftover temp directory is harmless */ }
    }
}
