using System.Diagnostics;
using System.Globalization;
using HierReason.Core.Perf;
using HierReason.Core.Results;
using HierReason.Core.Runs;

namespace HierReason.Harness.Aggregation;

/// <summary>Gathers a run folder's job results into a summary (what bench does at its end, and <c>hierreason collect</c>).</summary>
public static class RunCollector
{
    public static BenchmarkSummary Collect(RunLayout run, IReadOnlyDictionary<string, string> packages, DateTimeOffset? now = null, double? wallSeconds = null)
    {
        var manifest = RunManifest.Read(run);
        // Results are looked up in this run folder by key, whatever paths an older manifest holds (the folder may have moved).
        var results = JobManifest.Read(run.ManifestFile)
            .Select(j => JobResultFile.TryRead(run.ResultPath(j.Key)))
            .OfType<JobResult>()
            .ToList();
        var started = results.Count == 0 ? manifest.CreatedAt : results.Min(r => r.FinishedAt - TimeSpan.FromSeconds(r.WallSeconds));
        var wall = wallSeconds ?? (results.Count == 0 ? 0 : (results.Max(r => r.FinishedAt) - started).TotalSeconds);
        var devices = results.Select(r => r.Device).Where(d => d.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        var metadata = new RunMetadata(
            manifest.RunId,
            (now ?? DateTimeOffset.UtcNow).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture),
            started,
            Math.Round(wall, 3),
            GitCommit(),
            Machine(),
            devices.Count > 0 ? devices : manifest.Devices,
            packages);
        return ResultAggregator.Summarize(manifest.Tasks, manifest.Models, results, metadata);
    }

    public static string Machine()
    {
        var m = MachineInfo.Current();
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture, $"{m.Os}, {m.Architecture}, {m.ProcessorCount} cores, {memory:0.#} GiB");
    }

    /// <summary>HEAD of the git checkout the process runs in; null outside one or without git.</summary>
    public static string? GitCommit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["rev-parse", "HEAD"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (git is null) return null;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit(5_000);
            return git.ExitCode == 0 && output.Length >= 7 ? output : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}
