namespace HierReason.Core.IO;

/// <summary>
/// Names that become one folder or file name (an experiment's output folder, a model's folder under artifacts/models):
/// a single safe path segment, so a name can never climb out of its parent (<c>..</c>), name the parent itself
/// (<c>.</c>), read as an option (<c>-x</c>) or carry bytes a file system or terminal mangles.
/// </summary>
public static class PathSegmentName
{
    public const int MaxLength = 128;

    /// <summary>What a valid name looks like, for error messages.</summary>
    public const string Expected =
        "a name usable as one folder name (1-128 characters; no '/', '\\', ':', '*', '?', '\"', '<', '>', '|' or control characters; not '.' or '..'; no leading '-')";

    /// <summary>Why <paramref name="name"/> is not a safe path segment, or null when it is.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0) return "it is empty";
        if (name.Length > MaxLength) return $"it has {name.Length} characters";
        if (name is "." or "..") return $"'{name}' names a folder itself";
        if (name[0] == '-') return "it starts with '-'";
        foreach (var c in name)
        {
            if (char.IsControl(c)) return $"it holds the control character U+{(int)c:X4}";
            if (c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|') return $"it holds '{c}'";
        }
        return null;
    }

    /// <summary>The name as an error message may quote it: short, control characters escaped.</summary>
    public static string Quote(string name)
    {
        var shown = name.Length <= 60 ? name : name[..57] + "...";
        return "'" + string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())) + "'";
    }
}
