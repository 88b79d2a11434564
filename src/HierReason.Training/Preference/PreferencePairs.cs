using System.Text.Json;
using HierReason.Core.IO;

namespace HierReason.Training.Preference;

/// <summary>Reads and writes preference pairs as JSON lines, one <see cref="PreferencePair"/> per line (the one reader and writer of the format).</summary>
public static class PreferencePairs
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The pairs of <paramref name="path"/>; a missing file, a bad line or a pair without prompt, chosen or rejected is a <see cref="TrainingException"/> naming the line.</summary>
    public static IReadOnlyList<PreferencePair> Read(string path)
    {
        if (!File.Exists(path)) throw new TrainingException($"{path}: no such pairs file");
        var pairs = new List<PreferencePair>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            PreferencePair? pair;
            try
            {
                pair = JsonSerializer.Deserialize<PreferencePair>(line, Options);
            }
            catch (JsonException e)
            {
                throw new TrainingException($"{path}:{number}: not a JSON object with string fields prompt, chosen, rejected ({e.Message})", e);
            }
            if (pair is null || pair.Prompt is null || pair.Chosen is null || pair.Rejected is null)
                throw new TrainingException($"{path}:{number}: expected string fields prompt, chosen and rejected");
            pairs.Add(pair);
        }
        if (pairs.Count == 0) throw new TrainingException($"{path}: no pairs");
        return pairs;
    }

    /// <summary>
    /// The pairs of every file, in order; a file with no pair adds none (a pair builder writes one when a task gave no pair),
    /// and no pair in all of them is a <see cref="TrainingException"/> naming them.
    /// </summary>
    public static IReadOnlyList<PreferencePair> ReadAll(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) throw new TrainingException("no pairs file given");
        var pairs = new List<PreferencePair>();
        foreach (var path in paths)
        {
            if (File.Exists(path) && File.ReadLines(path).All(string.IsNullOrWhiteSpace)) continue;
            pairs.AddRange(Read(path));
        }
        if (pairs.Count == 0) throw new TrainingException($"{string.Join(", ", paths)}: no pairs");
        return pairs;
    }

    /// <summary>Writes <paramref name="pairs"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IEnumerable<PreferencePair> pairs) =>
        AtomicFile.Write(path, writer =>
        {
            foreach (var pair in pairs) writer.WriteLine(JsonSerializer.Serialize(pair, Options));
        });
}
