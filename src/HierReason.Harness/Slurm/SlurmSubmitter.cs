using System.ComponentModel;
using System.Diagnostics;
using HierReason.Core;

namespace HierReason.Harness.Slurm;

/// <summary>The job ids <c>submit.sh</c> printed.</summary>
public sealed record SlurmSubmission(string ArrayJobId, string CollectJobId);

/// <summary>Runs a written <c>submit.sh</c> (sbatch of the array, then of the dependent collect job) and reads back the job ids.</summary>
public static class SlurmSubmitter
{
    public static async Task<SlurmSubmission> SubmitAsync(SlurmScripts scripts, CancellationToken cancel = default)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(scripts.SubmitScript);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new HierReasonException("could not start bash to run " + scripts.SubmitScript);
        }
        catch (Win32Exception e)
        {
            throw new HierReasonException($"could not run {scripts.SubmitScript}: {e.Message}", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancel);
            var stderr = process.StandardError.ReadToEndAsync(cancel);
            await process.WaitForExitAsync(cancel);
            var (output, errors) = (await stdout, await stderr);
            if (process.ExitCode != 0)
                throw new HierReasonException($"{scripts.SubmitScript} failed (exit {process.ExitCode}): {errors.Trim()}"
                    + (errors.Contains("sbatch: command not found", StringComparison.Ordinal) ? " (is SLURM installed and sbatch on PATH?)" : ""));
            return Parse(output, scripts.SubmitScript);
        }
    }

    /// <summary>Reads <c>array_job_id=N</c> and <c>collect_job_id=M</c> lines.</summary>
    public static SlurmSubmission Parse(string output, string source)
    {
        string? array = null, collect = null;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("array_job_id=", StringComparison.Ordinal)) array = line["array_job_id=".Length..];
            else if (line.StartsWith("collect_job_id=", StringComparison.Ordinal)) collect = line["collect_job_id=".Length..];
        }
        if (string.IsNullOrEmpty(array) || string.IsNullOrEmpty(collect))
            throw new HierReasonException($"{source}: expected array_job_id=<id> and collect_job_id=<id> in its output; found {output.Trim()}");
        return new SlurmSubmission(array, collect);
    }
}
