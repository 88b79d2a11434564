using System.Text.Json;
using HierReason.Core;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Harness.Aggregation;

/// <summary>
/// <c>run.json</c> in a run folder: the order of tasks and models and the devices, so <c>hierreason collect</c> can
/// aggregate the run's job results the way bench would. The jobs themselves are in <c>manifest.jsonl</c>, one per line.
/// </summary>
public sealed record RunManifest(string RunId, IReadOnlyList<string> Tasks, IReadOnlyList<string> Models, IReadOnlyList<string> Devices, string Schedule, DateTimeOffset CreatedAt)
{
    public const string FileName = "run.json";
    public const string JobsFileName = "manifest.jsonl";

    public void Write(string runDirectory, IEnumerable<EvalJob> jobs)
    {
        AtomicFile.WriteAllText(Path.Combine(runDirectory, FileName), JsonSerializer.Serialize(this, HierJson.Indented) + "\n");
        AtomicFile.WriteAllText(Path.Combine(runDirectory, JobsFileName),
            string.Concat(jobs.Select(j => JsonSerializer.Serialize(j, HierJson.Options) + "\n")));
    }

    public static RunManifest Read(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        if (!File.Exists(path)) throw new HierReasonException($"{runDirectory}: not a run folder (no {FileName})");
        try
        {
            return JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), HierJson.Options) ?? throw new HierReasonException($"{path}: empty");
        }
        catch (JsonException e)
        {
            throw new HierReasonException($"{path}: not a run manifest ({e.Message})");
        }
    }

    /// <summary>The jobs of a manifest file (one JSON job per line).</summary>
    public static IReadOnlyList<EvalJob> ReadJobs(string manifestPath)
    {
        if (!File.Exists(manifestPath)) throw new HierReasonException($"{manifestPath}: no such manifest");
        var jobs = new List<EvalJob>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(manifestPath))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                jobs.Add(JsonSerializer.Deserialize<EvalJob>(line, HierJson.Options) ?? throw new JsonException("null"));
            }
            catch (JsonException e)
            {
                throw new HierReasonException($"{manifestPath}: line {lineNumber}: not a job ({e.Message})");
            }
        }
        return jobs;
    }
}
