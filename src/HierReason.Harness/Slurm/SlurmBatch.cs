using HierReason.Harness.Running;

namespace HierReason.Harness.Slurm;

/// <summary>
/// What one SLURM submission runs: the manifest's <paramref name="JobCount"/> lines as array tasks, then
/// <c>collect</c> over <paramref name="RunDir"/>. <paramref name="OutDir"/> holds the scripts and logs and is the jobs' working directory.
/// </summary>
public sealed record SlurmBatch(
    string OutDir,
    string Manifest,
    int JobCount,
    string RunDir,
    string? ResultsDir,
    WorkerCommand Worker,
    SlurmArrayOptions Options);

/// <summary>The files <see cref="SlurmScriptWriter"/> wrote (absolute paths).</summary>
public sealed record SlurmScripts(string ArrayScript, string CollectScript, string SubmitScript, string LogsDir);
