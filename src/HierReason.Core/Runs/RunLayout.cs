using HierReason.Core.Results;

namespace HierReason.Core.Runs;

/// <summary>
/// Where everything of a benchmark run folder lives — the one place these paths are built: <c>run.json</c>,
/// <c>manifest.jsonl</c> and, per job, <c>jobs/&lt;key&gt;.job.json</c>, <c>.json</c> (result), <c>.jsonl</c> (samples)
/// and <c>.log</c>. Files inside the run name each other relative to <see cref="Folder"/>, so a run folder can be moved.
/// </summary>
/// <param name="Folder">The run folder, absolute.</param>
public sealed record RunLayout(string Folder)
{
    public const string RunFileName = "run.json";
    public const string ManifestFileName = "manifest.jsonl";
    public const string JobsFolderName = "jobs";

    /// <summary>The run folder at <paramref name="folder"/> (made absolute against the current directory).</summary>
    public static RunLayout At(string folder) => new(Path.GetFullPath(folder));

    /// <summary>The run <paramref name="runId"/> under a folder of run folders (<c>artifacts/runs</c>).</summary>
    public static RunLayout In(string runsRoot, string runId) => At(Path.Combine(runsRoot, runId));

    /// <summary>The run whose <c>jobs/</c> folder holds <paramref name="jobsFile"/> (a job file, a result).</summary>
    public static RunLayout Containing(string jobsFile) => At(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(jobsFile))!) ?? "/");

    /// <summary>The run a manifest belongs to: the folder it sits in.</summary>
    public static RunLayout OfManifest(string manifest) => At(Path.GetDirectoryName(Path.GetFullPath(manifest)) ?? "/");

    public string RunFile => Path.Combine(Folder, RunFileName);

    public string ManifestFile => Path.Combine(Folder, ManifestFileName);

    public string JobsFolder => Path.Combine(Folder, JobsFolderName);

    public string ResultPath(string key) => Path.Combine(JobsFolder, key + ".json");

    public string SamplesPath(string key) => Path.Combine(JobsFolder, key + ".jsonl");

    public string JobFilePath(string key) => Path.Combine(JobsFolder, key + ".job.json");

    public string LogPath(string key) => Path.Combine(JobsFolder, key + ".log");

    /// <summary>The job placed in this run: its result and samples in <c>jobs/</c>.</summary>
    public EvalJob Place(EvalJob job) => job with { ResultPath = ResultPath(job.Key), SamplesPath = SamplesPath(job.Key) };

    /// <summary>
    /// A path as the run's own files write it: relative to the run folder (with '/') when it lies inside, else absolute;
    /// empty stays empty (a job that keeps no file).
    /// </summary>
    public string Relative(string path)
    {
        if (string.IsNullOrEmpty(path)) return path;
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(Folder, full);
        return relative == "." || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? full
            : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>A path read from the run's files: a relative one against the run folder; an absolute one (older files) as it is.</summary>
    public string Resolve(string path) => string.IsNullOrEmpty(path) ? path : Path.GetFullPath(Path.Combine(Folder, path));

    /// <summary>The job as the run's files hold it: its result and samples paths relative to the run folder.</summary>
    public EvalJob Relative(EvalJob job) => job with { ResultPath = Relative(job.ResultPath), SamplesPath = Relative(job.SamplesPath) };

    /// <summary>The job as read from the run's files: its paths resolved against the run folder.</summary>
    public EvalJob Resolve(EvalJob job) => job with { ResultPath = Resolve(job.ResultPath), SamplesPath = Resolve(job.SamplesPath) };
}
