using HierReason.Core.Configs;
using HierReason.Core.Results;
using HierReason.Core.Tasks;
using HierReason.Harness.Config;
using HierReason.Harness.Jobs;

namespace HierReason.Harness.Pipeline;

/// <summary>models.json and tasks.json, validated: what a benchmark matrix expands from (bench and slurm alike).</summary>
public sealed record BenchmarkInputs(ModelSet Models, TaskSet Tasks)
{
    /// <summary>Loads and validates both files; a mistake is a user error naming file, JSON path and what was expected.</summary>
    public static BenchmarkInputs Load(string modelsFile, string tasksFile, string? taskConfigs, TaskRegistry registry) =>
        new(ModelsFile.Load(modelsFile), TaskSetFile.Load(tasksFile, taskConfigs, registry));

    /// <summary>Checks every local model a run with <paramref name="options"/> loads (before anything is written).</summary>
    public void Check(ModelCheck check, MatrixOptions options) => check(Models, Models.Loaded(options.OnlyModels));

    /// <summary>The task × model × seed jobs, keyed, not yet placed in a run.</summary>
    public IReadOnlyList<EvalJob> Expand(MatrixOptions options, CheckpointHasher? hashes = null) => JobMatrix.Expand(Tasks, Models, options, hashes);
}
