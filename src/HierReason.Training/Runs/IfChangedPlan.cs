using HierReason.Training.Checkpoints;
using HierReason.Training.Experiments;

namespace HierReason.Training.Runs;

/// <summary>
/// What <c>train --if-changed</c> (and so Cake's <c>TrainDefault</c>) does with an experiment's output folder: nothing when
/// it holds the finished model of exactly this experiment; <see cref="RunStart.Resume"/> when its newest checkpoint was
/// trained under exactly this experiment and upstream model (a partial run: <c>--max-steps</c>, a kill), which ends as an
/// uninterrupted run would; otherwise <see cref="RunStart.Overwrite"/>, so a changed experiment retrains from scratch and
/// never inherits an earlier run's checkpoints or metrics. <see cref="Start"/> is null when up to date.
/// </summary>
public sealed record IfChangedPlan(RunStart? Start, string Reason)
{
    public bool UpToDate => Start is null;

    public static IfChangedPlan For(ExperimentConfig config)
    {
        if (TrainingManifest.IsUpToDate(config)) return new(null, "up to date");
        var output = config.Output;
        if (TrainingOutput.ClearingInterrupted(output)) return new(RunStart.Overwrite, "an --overwrite of its folder was interrupted; starting over");
        var fingerprint = ExperimentFingerprint.Of(config);
        if (new CheckpointStore(output, config.Checkpoint.KeepLast).Latest() is { } latest && SameRun(latest, fingerprint) is { } step)
            return new(RunStart.Resume, step < config.TargetSteps
                ? $"partial ({step} of {config.TargetSteps} steps); resuming from {Path.GetFileName(latest)}"
                : $"its model is missing; finishing from {Path.GetFileName(latest)}");
        if (TrainingOutput.RunEntries(output).Count == 0) return new(RunStart.Overwrite, "not trained yet");
        var manifest = TrainingManifest.TryLoad(output);
        var reason = manifest is null ? "an unfinished run with no checkpoint of this experiment"
            : manifest.ConfigChanges is { Count: > 0 } ? "trained partly under another experiment (--allow-config-change)"
            : manifest.Hash != fingerprint.Hash ? "the experiment or the model it starts from changed"
            : $"partial ({manifest.Steps} of {config.TargetSteps} steps) with no checkpoint of this experiment";
        return new(RunStart.Overwrite, reason + "; training from scratch");
    }

    /// <summary>The checkpoint's step when it was trained under exactly this experiment throughout, else null.</summary>
    private static int? SameRun(string checkpoint, ExperimentFingerprint fingerprint)
    {
        try
        {
            var state = TrainerState.Load(checkpoint);
            return state.Origin is { } origin && origin.Matches(fingerprint) && !origin.Changed ? state.Step : null;
        }
        catch (TrainingException)
        {
            return null; // an unreadable trainer state is no run to continue
        }
    }
}
