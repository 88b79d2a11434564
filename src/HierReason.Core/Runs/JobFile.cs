using System.Text.Json;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Core.Runs;

/// <summary>
/// The job file format: one <see cref="EvalJob"/> as JSON, in <c>jobs/&lt;key&gt;.job.json</c> (indented) and on each line
/// of <c>manifest.jsonl</c>. Paths inside the run (result, samples) are written relative to the run folder and read back
/// against the folder the file is in; absolute ones (files written before, models) are read as they are.
/// </summary>
public static class JobFile
{
    /// <summary>Writes the worker's job file, <c>jobs/&lt;key&gt;.job.json</c>, atomically.</summary>
    public static void Write(RunLayout run, EvalJob job) => AtomicFile.WriteAllText(run.JobFilePath(job.Key), Json(run, job, indented: true) + "\n");

    /// <summary>Reads a job file of a run folder (<c>&lt;run&gt;/jobs/&lt;key&gt;.job.json</c>), its paths resolved against that run.</summary>
    public static EvalJob Read(string path)
    {
        if (!File.Exists(path)) throw new HierReasonException($"{path}: no such job file");
        return Parse(ConfigFileText.Read(path), RunLayout.Containing(path), path);
    }

    /// <summary>The JSON of a job as <paramref name="run"/>'s files hold it.</summary>
    public static string Json(RunLayout run, EvalJob job, bool indented) =>
        JsonSerializer.Serialize(run.Relative(job), indented ? HierJson.Indented : HierJson.Options);

    /// <summary>A job from its JSON, its paths resolved against <paramref name="run"/>; <paramref name="source"/> names it in errors.</summary>
    public static EvalJob Parse(string json, RunLayout run, string source)
    {
        try
        {
            return run.Resolve(JsonSerializer.Deserialize<EvalJob>(json, HierJson.Options) ?? throw new JsonException("null"));
        }
        catch (JsonException e)
        {
            throw new HierReasonException($"{source}: not a job ({e.Message})");
        }
    }
}
