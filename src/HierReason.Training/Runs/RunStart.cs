namespace HierReason.Training.Runs;

/// <summary>
/// How <c>SftRun</c> / <c>GrpoRun</c> treat their output folder (<c>train</c>'s <c>--resume</c>, <c>--overwrite</c> and
/// <c>--allow-config-change</c>): <see cref="AllowConfigChange"/> lets a resume continue a checkpoint trained under another
/// experiment (or upstream model), which is then recorded in the manifest.
/// </summary>
public sealed record RunStart(OutputMode Mode, bool AllowConfigChange = false)
{
    public static RunStart Fresh { get; } = new(OutputMode.Fresh);
    public static RunStart Resume { get; } = new(OutputMode.Resume);
    public static RunStart Overwrite { get; } = new(OutputMode.Overwrite);
}
