namespace HierReason.Core;

/// <summary>An error the user can cause and fix (bad config, missing file, unknown task); the CLI prints its message and exits 2.</summary>
public class HierReasonException : Exception
{
    public HierReasonException(string message) : base(message) { }
    public HierReasonException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A configuration value that is missing or out of range, located by file and JSON path.</summary>
public sealed class ConfigException : HierReasonException
{
    public ConfigException(string? file, string jsonPath, string expected, string? found = null)
        : base(Format(file, jsonPath, expected, found))
    {
        File = file;
        JsonPath = jsonPath;
        Expected = expected;
    }

    public string? File { get; }
    public string JsonPath { get; }
    public string Expected { get; }

    /// <summary>The same error, attributed to a file and nested under a parent JSON path.</summary>
    public ConfigException In(string? file, string parentPath = "$")
    {
        var path = parentPath == "$" ? JsonPath : parentPath + JsonPath.TrimStart('$');
        return new ConfigException(file ?? File, path, Expected, FoundText);
    }

    private string? FoundText => Message.Contains("; found ", StringComparison.Ordinal)
        ? Message[(Message.LastIndexOf("; found ", StringComparison.Ordinal) + 8)..]
        : null;

    private static string Format(string? file, string path, string expected, string? found)
    {
        var where = file is null ? path : $"{file}: {path}";
        return found is null ? $"{where}: expected {expected}" : $"{where}: expected {expected}; found {found}";
    }
}
