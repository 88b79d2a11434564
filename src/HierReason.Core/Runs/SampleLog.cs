using System.Text.Json;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Core.Runs;

/// <summary>The samples format, <c>jobs/&lt;key&gt;.jsonl</c>: one <see cref="SampleRecord"/> per line, written atomically.</summary>
public static class SampleLog
{
    /// <summary>
    /// Writes the samples (nothing when the job keeps no samples file) through a temp file of this process: two workers of
    /// one job (a rerun beside an old worker) never share a temp file, and each rename puts a complete file in place.
    /// </summary>
    public static void Write(string path, IReadOnlyList<SampleRecord> samples)
    {
        if (string.IsNullOrEmpty(path)) return;
        AtomicFile.Write(path, writer =>
        {
            foreach (var sample in samples) writer.WriteLine(JsonSerializer.Serialize(sample, HierJson.Options));
        });
    }

    /// <summary>Whether the file has exactly <paramref name="n"/> lines, each a sample record (true when the job keeps no samples file).</summary>
    public static bool IsComplete(string path, int n)
    {
        if (string.IsNullOrEmpty(path)) return true;
        if (!File.Exists(path)) return false;
        try
        {
            var lines = 0;
            foreach (var line in File.ReadLines(path))
                if (++lines > n || JsonSerializer.Deserialize<SampleRecord>(line, HierJson.Options) is not { ItemId: not null }) return false;
            return lines == n;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return false;
        }
    }
}
