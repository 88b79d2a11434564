using HierReason.Core.IO;
using HierReason.Core.Results;

namespace HierReason.Core.Runs;

/// <summary>
/// <c>manifest.jsonl</c>: a run's jobs in the job file format, one per line; line i is job i (SLURM array task i), so a
/// blank line, which would shift every later index, is an error (a trailing newline is fine).
/// </summary>
public static class JobManifest
{
    public static void Write(RunLayout run, IEnumerable<EvalJob> jobs) =>
        AtomicFile.WriteAllText(run.ManifestFile, string.Concat(jobs.Select(j => JobFile.Json(run, j, indented: false) + "\n")));

    /// <summary>The jobs of a manifest, their paths resolved against the folder it is in.</summary>
    public static IReadOnlyList<EvalJob> Read(string path)
    {
        var run = RunLayout.OfManifest(path);
        return Lines(path).Select((line, i) => JobFile.Parse(line, run, $"{path}: line {i + 1}")).ToList();
    }

    /// <summary>How many jobs a manifest holds, without reading them (what the SLURM scripts need); at least one.</summary>
    public static int Count(string path)
    {
        var count = Lines(path).Count;
        return count > 0 ? count : throw new HierReasonException($"{path}: expected at least one job; found an empty manifest");
    }

    private static List<string> Lines(string path)
    {
        if (!File.Exists(path)) throw new HierReasonException($"{path}: expected a job manifest (one job JSON per line); found no such file");
        var lines = new List<string>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
                throw new HierReasonException($"{path}: line {lines.Count + 1}: expected one job JSON per line; found a blank line (job indices would shift)");
            lines.Add(line);
        }
        return lines;
    }
}
