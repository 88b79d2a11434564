using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Core.IO;

namespace HierReason.Training.Experiments;

/// <summary>
/// Resolves an experiment file's <c>_base_</c> chain (a path or list of paths, relative to the file naming them) into
/// one JSON object: bases first, later files overriding earlier ones — objects deep-merged, arrays and scalars replaced —
/// remembering which file set each value so a validation error can name it.
/// </summary>
public sealed class ExperimentMerge
{
    public const string BaseKey = "_base_";

    private readonly Dictionary<string, string> _origins = new(StringComparer.Ordinal);

    private ExperimentMerge(JsonObject root) => Root = root;

    /// <summary>The merged experiment, without any <c>_base_</c> key.</summary>
    public JsonObject Root { get; }

    /// <summary>The file that set the value at <paramref name="jsonPath"/> (or its nearest set ancestor).</summary>
    public string FileOf(string jsonPath)
    {
        for (var path = jsonPath; ; path = Parent(path))
        {
            if (_origins.TryGetValue(path, out var file)) return file;
            if (path == "$") return _origins.GetValueOrDefault("$", "?");
        }
    }

    public static ExperimentMerge Load(string path)
    {
        var full = Path.GetFullPath(path);
        var merged = new ExperimentMerge(new JsonObject());
        merged._origins["$"] = path;
        merged.Apply(full, path, [], null);
        return merged;
    }

    private void Apply(string full, string shown, List<string> chain, (string File, string Path)? namedBy)
    {
        if (chain.Contains(full, StringComparer.Ordinal))
            throw new ConfigException(namedBy?.File, namedBy?.Path ?? "$", "a _base_ chain without cycles",
                string.Join(" -> ", chain.Append(full).Select(Path.GetFileName)));
        var kind = FileEntries.KindOf(full);
        if (kind != FileEntryKind.RegularFile && namedBy is { } n)
            throw new ConfigException(n.File, n.Path, "the path of an existing base file", $"'{shown}' ({(kind == FileEntryKind.Missing ? "no such file" : "not a regular file")})");
        if (kind == FileEntryKind.Missing) throw new HierReasonException($"{shown}: no such experiment file");
        var obj = ExperimentJson.ParseObject(ConfigFileText.Read(full, shown), shown);
        // $schema and $comment never reach the merged experiment (nor its hash); old key names are renamed per file.
        ConfigAnnotations.Strip(obj, shown);
        ExperimentKeys.Normalize(obj, shown);
        chain.Add(full);
        if (obj.TryGetPropertyValue(BaseKey, out var baseNode))
        {
            foreach (var (relative, jsonPath) in BasePaths(baseNode, shown))
            {
                var basePath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, relative));
                var baseShown = Path.Combine(Path.GetDirectoryName(shown) ?? "", relative);
                Apply(basePath, baseShown, chain, (shown, jsonPath));
            }
        }
        chain.RemoveAt(chain.Count - 1);
        obj.Remove(BaseKey);
        MergeInto(Root, obj, "$", shown);
    }

    private static IEnumerable<(string Relative, string JsonPath)> BasePaths(JsonNode? node, string file)
    {
        if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
                yield return (ExperimentJson.String(array[i], file, $"$.{BaseKey}[{i}]"), $"$.{BaseKey}[{i}]");
        }
        else
        {
            yield return (ExperimentJson.String(node, file, "$." + BaseKey, "a relative path or a list of them"), "$." + BaseKey);
        }
    }

    private void MergeInto(JsonObject target, JsonObject source, string path, string file)
    {
        foreach (var (key, value) in source.ToList())
        {
            var childPath = $"{path}.{key}";
            if (value is JsonObject sourceChild && target[key] is JsonObject targetChild)
            {
                _origins[childPath] = file;
                MergeInto(targetChild, sourceChild, childPath, file);
                continue;
            }
            // Replaced wholesale: forget what earlier files set below this path.
            foreach (var stale in _origins.Keys.Where(k => k.StartsWith(childPath + ".", StringComparison.Ordinal) || k.StartsWith(childPath + "[", StringComparison.Ordinal)).ToList())
                _origins.Remove(stale);
            _origins[childPath] = file;
            target[key] = value?.DeepClone();
        }
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "$" : path[..cut];
    }
}
