using System.Text.RegularExpressions;
using HierReason.Core;

namespace HierReason.Harness.Slurm;

/// <summary>The sbatch settings of the job array (and of the collect job, which takes no GPU).</summary>
public sealed partial record SlurmArrayOptions
{
    /// <summary>Generic resource per array task (<c>--gres</c>); null leaves the line out (CPU-only jobs).</summary>
    public string? Gres { get; init; } = "gpu:1";

    /// <summary>At most this many array tasks run at once (<c>--array=0-N%K</c>); null: no limit.</summary>
    public int? MaxConcurrent { get; init; }

    public string? Partition { get; init; }

    /// <summary>Wall-time limit per task in a form sbatch reads (<c>90</c>, <c>01:30:00</c>, <c>1-00:00:00</c>).</summary>
    public string? TimeLimit { get; init; }

    public int? CpusPerTask { get; init; }

    /// <summary>Memory per node (<c>--mem</c>), e.g. <c>16G</c>.</summary>
    public string? Memory { get; init; }

    public string JobName { get; init; } = "hierreason";

    /// <summary>Per-task log file, relative to the output folder (the jobs' working directory).</summary>
    public string OutputPattern { get; init; } = "logs/%A_%a.out";

    /// <summary>Extra shell lines run before the worker in every task (e.g. <c>module load cuda</c>).</summary>
    public IReadOnlyList<string> Setup { get; init; } = [];

    /// <summary>Throws a <see cref="HierReasonException"/> naming the option when a value cannot go on an #SBATCH line.</summary>
    public void Validate()
    {
        if (Gres is not null && !GresPattern().IsMatch(Gres))
            throw new HierReasonException($"--gres: expected name[:type]:count such as gpu:1 (or none); found {Gres}");
        if (MaxConcurrent is < 1) throw new HierReasonException($"--max-concurrent: expected an integer >= 1; found {MaxConcurrent}");
        if (Partition is not null && !NamePattern().IsMatch(Partition))
            throw new HierReasonException($"--partition: expected a partition name (letters, digits, '_', '-', '.', ','); found {Partition}");
        if (TimeLimit is not null && !TimePattern().IsMatch(TimeLimit))
            throw new HierReasonException($"--time: expected minutes, [HH:]MM:SS or D-HH[:MM[:SS]]; found {TimeLimit}");
        if (CpusPerTask is < 1) throw new HierReasonException($"--cpus-per-task: expected an integer >= 1; found {CpusPerTask}");
        if (Memory is not null && !MemoryPattern().IsMatch(Memory))
            throw new HierReasonException($"--mem: expected a size such as 4096, 16G or 512M; found {Memory}");
        if (!NamePattern().IsMatch(JobName))
            throw new HierReasonException($"--job-name: expected letters, digits, '_', '-', '.'; found {JobName}");
        if (string.IsNullOrWhiteSpace(OutputPattern) || OutputPattern.Contains('"') || OutputPattern.Contains('\n') || OutputPattern.Contains(' '))
            throw new HierReasonException($"--output: expected a file pattern without spaces or quotes such as logs/%A_%a.out; found {OutputPattern}");
        foreach (var line in Setup)
            if (line.Contains('\n') || line.Contains('\r')) throw new HierReasonException("--setup: expected one shell line per value; found a line break");
    }

    [GeneratedRegex(@"^[A-Za-z0-9_]+(:[A-Za-z0-9_.\-]+)*$")]
    private static partial Regex GresPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.,\-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+(:\d{1,2}(:\d{1,2})?)?|UNLIMITED|INFINITE)$")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^\d+[KMGT]?$")]
    private static partial Regex MemoryPattern();
}
