using System.Text.Json;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Core.Runs;

/// <summary>The job result format, <c>jobs/&lt;key&gt;.json</c>: one <see cref="JobResult"/>, written last and atomically.</summary>
public static class JobResultFile
{
    /// <summary>Writes the result (nothing when the job keeps no result file).</summary>
    public static void Write(JobResult result, string path)
    {
        if (string.IsNullOrEmpty(path)) return;
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, HierJson.Indented) + "\n");
    }

    /// <summary>The result when its file exists and reads; null otherwise (a half-written file cannot exist: writes are atomic).</summary>
    public static JobResult? TryRead(string path)
    {
        if (string.IsNullOrEmpty(path) || !File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<JobResult>(File.ReadAllText(path), HierJson.Options);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }
}
