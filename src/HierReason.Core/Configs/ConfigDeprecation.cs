namespace HierReason.Core.Configs;

/// <summary>
/// One-line warnings for config keys read under an old name (kept for one release). They go to standard error, or to the
/// writer a caller installed with <see cref="RedirectTo"/> for the current async flow (the CLI's error writer, a test's).
/// </summary>
public static class ConfigDeprecation
{
    private static readonly AsyncLocal<TextWriter?> Writer = new();

    /// <summary>Sends this flow's warnings to <paramref name="writer"/> until the returned scope is disposed.</summary>
    public static IDisposable RedirectTo(TextWriter writer)
    {
        var previous = Writer.Value;
        Writer.Value = writer;
        return new Scope(previous);
    }

    /// <summary>Warns that <paramref name="file"/> spells the key at <paramref name="jsonPath"/> by its old name; <paramref name="newName"/> replaces it.</summary>
    public static void Renamed(string? file, string jsonPath, string newName) =>
        Warn($"warning: {(file is null ? "" : file + ": ")}{jsonPath} is a deprecated name; use \"{newName}\" (the old name is read for one more release)");

    /// <summary>Writes one warning line.</summary>
    public static void Warn(string line)
    {
        var writer = Writer.Value ?? Console.Error;
        lock (writer) writer.WriteLine(line);
    }

    /// <summary>
    /// Reads <paramref name="oldName"/> in <paramref name="obj"/> as <paramref name="newName"/> (moving it, with a warning);
    /// both present is an error. <paramref name="path"/> is the object's JSON path.
    /// </summary>
    public static void Alias(System.Text.Json.Nodes.JsonObject obj, string oldName, string newName, string? file, string path)
    {
        if (!obj.TryGetPropertyValue(oldName, out var value)) return;
        if (obj.ContainsKey(newName))
            throw new ConfigException(file, $"{path}.{oldName}", $"only \"{newName}\" (\"{oldName}\" is its deprecated name; write one of them)", "both");
        Renamed(file, $"{path}.{oldName}", newName);
        // In place, so a file's key order (and an experiment's hash) is that of the file written with the new name.
        var index = obj.IndexOf(oldName);
        obj.RemoveAt(index);
        obj.Insert(index, newName, value);
    }

    private sealed class Scope(TextWriter? previous) : IDisposable
    {
        public void Dispose() => Writer.Value = previous;
    }
}
