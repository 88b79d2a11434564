using System.Text.Json;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Harness.Running;

/// <summary>Reads and writes job results and job files (<c>jobs/&lt;key&gt;.json</c>, <c>jobs/&lt;key&gt;.job.json</c>).</summary>
public static class JobResultStore
{
    /// <summary>The job's result when its file exists and reads; null otherwise (a half-written file cannot exist: writes are atomic).</summary>
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

    /// <summary>
    /// A succeeded result of the job whose samples file holds its <see cref="JobResult.N"/> samples (what resume skips on);
    /// null otherwise, and the job runs again: a samples file cut short or damaged is not a finished job.
    /// </summary>
    public static JobResult? Finished(EvalJob job) =>
        TryRead(job.ResultPath) is { IsSuccess: true } r && r.Key == job.Key && SamplesComplete(job.SamplesPath, r.N) ? r : null;

    /// <summary>Whether a samples file has exactly <paramref name="n"/> lines, each a sample record (true when the job keeps no samples file).</summary>
    public static bool SamplesComplete(string path, int n)
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

    public static void Write(JobResult result, string path) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, HierJson.Indented) + "\n");

    /// <summary>The job file a worker reads: next to its result, <c>&lt;key&gt;.job.json</c>.</summary>
    public static string JobFilePath(EvalJob job) => Path.ChangeExtension(job.ResultPath, ".job.json");

    public static string LogPath(EvalJob job) => Path.ChangeExtension(job.ResultPath, ".log");

    public static void WriteJob(EvalJob job) => AtomicFile.WriteAllText(JobFilePath(job), JsonSerializer.Serialize(job, HierJson.Indented) + "\n");

    public static EvalJob ReadJob(string path)
    {
        if (!File.Exists(path)) throw new Core.HierReasonException($"{path}: no such job file");
        try
        {
            return JsonSerializer.Deserialize<EvalJob>(ConfigFileText.Read(path), HierJson.Options)
                   ?? throw new Core.HierReasonException($"{path}: empty job file");
        }
        catch (JsonException e)
        {
            throw new Core.HierReasonException($"{path}: not a job file ({e.Message})");
        }
    }
}
