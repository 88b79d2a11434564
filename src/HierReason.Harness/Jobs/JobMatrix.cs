using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Core.Episodes;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Core.Tasks;
using HierReason.Harness.Config;

namespace HierReason.Harness.Jobs;

/// <summary>Options of the matrix expansion: filters and worker settings every job carries.</summary>
/// <param name="OnlyTasks">Task names to keep (null: all).</param>
/// <param name="OnlyModels">Model names to keep (null: all enabled).</param>
public sealed record MatrixOptions(
    IReadOnlyList<string>? OnlyTasks = null,
    IReadOnlyList<string>? OnlyModels = null,
    int BatchSize = 32,
    int Threads = 0,
    string? CodeVersion = null);

/// <summary>Expands tasks × models × seeds into jobs, in that order (task-major), with keys but no device or paths yet (<see cref="RunLayout.Place"/> places them in a run).</summary>
public static class JobMatrix
{
    public static IReadOnlyList<EvalJob> Expand(TaskSet tasks, ModelSet models, MatrixOptions options, CheckpointHasher? hasher = null)
    {
        hasher ??= new CheckpointHasher();
        var entries = tasks.Entries.ToList();
        var enabled = models.Enabled.Where(m => m.Bench).ToList();
        if (options.OnlyTasks is { } onlyTasks)
        {
            foreach (var name in onlyTasks)
                if (entries.All(e => e.Task.Name != name))
                    throw new HierReasonException($"--tasks: '{name}' is not in {tasks.Path ?? "the task set"} (it has: {string.Join(", ", entries.Select(e => e.Task.Name).Distinct())})");
            entries = entries.Where(e => onlyTasks.Contains(e.Task.Name)).ToList();
        }
        if (options.OnlyModels is { } onlyModels)
        {
            foreach (var name in onlyModels)
                if (models.Models.All(m => m.Name != name))
                    throw new HierReasonException($"--models: '{name}' is not in {models.File} (it has: {string.Join(", ", models.Models.Select(m => m.Name))})");
            if (models.Models.FirstOrDefault(m => !m.Bench && onlyModels.Contains(m.Name)) is { } unbenched)
                throw new HierReasonException($"--models: '{unbenched.Name}' has \"bench\": false in {models.File} (no row of its own); name a composite that uses it");
            // Naming a disabled model explicitly enables it.
            enabled = models.Models.Where(m => onlyModels.Contains(m.Name)).ToList();
        }
        if (enabled.Count == 0) throw new HierReasonException($"{models.File}: no enabled model to benchmark");

        var codeVersion = options.CodeVersion ?? JobKey.CodeVersion;
        var specs = enabled.Select(m => (Model: ToSpec(m, hasher), Strategy: StrategyOf(m, models, hasher))).ToList();
        var jobs = new List<EvalJob>();
        foreach (var entry in entries)
        {
            var config = (JsonObject)JsonSerializer.SerializeToNode(entry.Config, entry.Config.GetType(), HierJson.Options)!;
            foreach (var (model, strategy) in specs)
                foreach (var seed in entry.Seeds)
                {
                    var split = entry.Split.Name();
                    var key = JobKey.Compute(entry.Task.Name, config, entry.Level, split, seed, entry.N, model, codeVersion, strategy: strategy);
                    jobs.Add(new EvalJob(key, entry.Task.Name, (JsonObject)config.DeepClone(), entry.Level, split, seed, entry.N, model,
                        Device: "", ResultPath: "", SamplesPath: "", options.BatchSize, options.Threads, Strategy: strategy));
                }
        }
        var duplicate = jobs.GroupBy(j => j.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new HierReasonException($"{tasks.Path}: task '{duplicate.First().Task}' appears twice with the same config, split and seeds; remove one entry");
        return jobs;
    }

    /// <summary>A run's id: a hash of its job keys, so rerunning the same inputs finds the same folder and resumes.</summary>
    public static string RunId(IEnumerable<EvalJob> jobs)
    {
        var joined = string.Join("\n", jobs.Select(j => j.Key).Order(StringComparer.Ordinal));
        return "run-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(joined)))[..12];
    }

    /// <summary>The run folder of these jobs under <paramref name="runsRoot"/>: <c>&lt;runsRoot&gt;/&lt;run id&gt;</c>.</summary>
    public static RunLayout RunIn(string runsRoot, IEnumerable<EvalJob> jobs) => RunLayout.In(runsRoot, RunId(jobs));

    /// <summary>Relative cost of a job, for longest-first ordering: items × samples per item × token budget (or the synthetic duration).</summary>
    public static double Cost(EvalJob job) => job.SyntheticMs ?? (double)job.N * Math.Max(1, job.Model.Generation.Samples) * job.Model.Generation.MaxTokens;

    public static ModelSpec ToSpec(ModelEntry m, CheckpointHasher hasher) => new(
        m.Name, m.Backend, m.Path, m.Train, m.Adapter, m.ChatTemplate, m.Generation, m.BaseUrl, m.RemoteModel, m.ApiKeyEnv, m.MaxConcurrency,
        CheckpointHash: m.Backend == "local" ? Combine(hasher.HashFolder(m.Path), m.Adapter is null ? null : hasher.HashFolder(m.Adapter)) : "remote",
        m.Dtype)
    {
        PipelineOutput = m.PipelineOutput,
        OpenAi = m.OpenAi,
    };

    /// <summary>A composite's strategy with the specs of the models that fill its other roles; null for a plain (vanilla) entry.</summary>
    public static StrategySpec? StrategyOf(ModelEntry m, ModelSet models, CheckpointHasher hasher)
    {
        if (!m.IsComposite) return null;
        var policyRole = StrategyCatalog.Default.Get(m.Strategy, models.File, "$.models").PolicyRole;
        var frozen = m.Roles!.Where(r => r.Key != policyRole)
            .ToDictionary(r => r.Key, r => ToSpec(models.Models.First(e => e.Name == r.Value), hasher), StringComparer.Ordinal);
        return new StrategySpec(m.Strategy, (JsonObject)(m.StrategyOptions ?? new JsonObject()).DeepClone(), frozen.Count == 0 ? null : frozen);
    }

    private static string Combine(string model, string? adapter) => adapter is null ? model : model + "+" + adapter;
}
