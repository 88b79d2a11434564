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

    /// <summary>
    /// Whether the file holds exactly the samples of <paramref name="items"/> items × <paramref name="samplesPerItem"/>
    /// samples, each line a sample record in item-major order (line i is sample i mod k of its item; true when the job keeps
    /// no samples file). A file cut short, damaged, or written with another k is not complete.
    /// </summary>
    public static bool IsComplete(string path, long items, int samplesPerItem = 1)
    {
        if (string.IsNullOrEmpty(path)) return true;
        if (!File.Exists(path)) return false;
        var expected = items * samplesPerItem;
        try
        {
            long lines = 0;
            foreach (var line in File.ReadLines(path))
            {
                if (lines >= expected || JsonSerializer.Deserialize<SampleRecord>(line, HierJson.Options) is not { ItemId: not null } sample) return false;
                if ((sample.Sample ?? 0) != lines % samplesPerItem) return false;
                lines++;
            }
            return lines == expected;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return false;
        }
    }

    /// <summary>Whether the samples file of <paramref name="result"/> is complete (<see cref="IsComplete(string, long, int)"/>).</summary>
    public static bool IsComplete(string path, JobResult result) => IsComplete(path, result.N, result.SamplesPerItem ?? 1);
}
