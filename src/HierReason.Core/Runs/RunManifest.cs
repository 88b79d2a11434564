using System.Text.Json;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Core.Runs;

/// <summary>
/// <c>run.json</c> in a run folder: the order of tasks and models and the devices, so <c>hierreason collect</c> can
/// aggregate the run's job results the way bench would. The jobs themselves are in <c>manifest.jsonl</c> (<see cref="JobManifest"/>).
/// </summary>
public sealed record RunManifest(string RunId, IReadOnlyList<string> Tasks, IReadOnlyList<string> Models, IReadOnlyList<string> Devices, string Schedule, DateTimeOffset CreatedAt)
{
    /// <summary>The manifest of <paramref name="jobs"/> in <paramref name="run"/>: tasks and models in the jobs' order, created now.</summary>
    public static RunManifest Of(RunLayout run, IReadOnlyList<EvalJob> jobs, IReadOnlyList<string> devices, string schedule) =>
        new(Path.GetFileName(run.Folder), jobs.Select(j => TaskCell.Label(j.Task, j.Level)).Distinct().ToList(), jobs.Select(j => j.Model.Name).Distinct().ToList(), devices, schedule, DateTimeOffset.UtcNow);

    /// <summary>Creates the run folder (and its <c>jobs/</c>) and writes <c>run.json</c> and the manifest of <paramref name="jobs"/>.</summary>
    public void Write(RunLayout run, IEnumerable<EvalJob> jobs)
    {
        Directory.CreateDirectory(run.JobsFolder);
        AtomicFile.WriteAllText(run.RunFile, JsonSerializer.Serialize(this, HierJson.Indented) + "\n");
        JobManifest.Write(run, jobs);
    }

    public static RunManifest Read(RunLayout run)
    {
        var path = run.RunFile;
        if (!File.Exists(path)) throw new HierReasonException($"{run.Folder}: not a run folder (no {RunLayout.RunFileName})");
        try
        {
            return JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), HierJson.Options) ?? throw new HierReasonException($"{path}: empty");
        }
        catch (JsonException e)
        {
            throw new HierReasonException($"{path}: not a run manifest ({e.Message})");
        }
    }
}
