using HierReason.Core;

namespace HierReason.Harness.Slurm;

/// <summary>Reads what the SLURM scripts need from a job manifest (one job JSON per line; array task i runs line i).</summary>
public static class SlurmManifest
{
    /// <summary>The number of jobs; a blank line would shift every later index, so it is an error (a trailing newline is fine).</summary>
    public static int CountJobs(string path)
    {
        if (!File.Exists(path)) throw new HierReasonException($"{path}: expected a job manifest (one job JSON per line); found no such file");
        var count = 0;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                throw new HierReasonException($"{path}: line {lineNumber}: expected one job JSON per line; found a blank line (array indices would shift)");
            count++;
        }
        if (count == 0) throw new HierReasonException($"{path}: expected at least one job; found an empty manifest");
        return count;
    }
}
