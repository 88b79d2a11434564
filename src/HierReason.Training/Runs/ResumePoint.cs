using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Training.Checkpoints;
using HierReason.Training.Experiments;

namespace HierReason.Training.Runs;

/// <summary>
/// Where a run starts, decided from its output folder before anything is built or written: the checkpoint it continues
/// (null: step 0), the origin its new checkpoints record, whether it clears an earlier run first (<c>--overwrite</c>), and
/// the change of experiment a resume accepted (<c>--allow-config-change</c>).
/// </summary>
internal sealed record ResumePoint(string? Checkpoint, CheckpointOrigin Origin, bool ClearFirst, ConfigChange? Change)
{
    private const int ShownDifferences = 4;

    /// <summary>
    /// Decides where <paramref name="config"/>'s run starts under <paramref name="start"/>; throws a <see cref="TrainingException"/>
    /// naming the flag to use when the folder holds an earlier run (Fresh), when the newest checkpoint was trained under another
    /// experiment or upstream model (Resume without AllowConfigChange), or when an <c>--overwrite</c> was interrupted.
    /// </summary>
    public static ResumePoint Find(ExperimentConfig config, RunStart start)
    {
        var output = config.Output;
        var fingerprint = ExperimentFingerprint.Of(config);
        if (start.Mode == OutputMode.Overwrite) return new(null, CheckpointOrigin.Of(fingerprint), ClearFirst: true, null);
        if (TrainingOutput.ClearingInterrupted(output))
            throw new TrainingException($"{output}: an --overwrite of this folder was interrupted ({TrainingOutput.ClearingFolderName} is still there); " +
                "pass --overwrite to finish clearing it and start over");
        if (start.Mode == OutputMode.Resume && new CheckpointStore(output, config.Checkpoint.KeepLast).Latest() is { } latest)
        {
            var state = TrainerState.Load(latest);
            if (state.Origin is { } origin && origin.Matches(fingerprint)) return new(latest, origin, false, null);
            var what = Difference(state.Origin, fingerprint, config);
            if (!start.AllowConfigChange)
                throw new TrainingException($"{latest}: trained under another experiment than {config.File} describes now ({what}); " +
                    $"pass --overwrite to start over, or --allow-config-change to continue from this checkpoint anyway (recorded in {TrainingManifest.FileName})");
            var change = new ConfigChange(state.Step, state.Origin?.ConfigSha256, state.Origin?.UpstreamManifestSha256,
                fingerprint.ConfigSha256, fingerprint.UpstreamManifestSha256, what, DateTimeOffset.UtcNow);
            return new(latest, CheckpointOrigin.Of(fingerprint) with { ConfigChanges = [.. state.Origin?.ConfigChanges ?? [], change] }, false, change);
        }
        var earlier = TrainingOutput.RunEntries(output);
        if (earlier.Count > 0)
            throw new TrainingException(start.Mode == OutputMode.Resume
                ? $"{output}: no checkpoint to resume from, but an earlier run's files are there ({TrainingOutput.Describe(earlier)}); " +
                  "pass --overwrite to delete them and start over"
                : $"{output}: holds an earlier run ({TrainingOutput.Describe(earlier)}); pass --resume to continue it from its newest checkpoint, " +
                  "or --overwrite to delete its training outputs and start over");
        return new(null, CheckpointOrigin.Of(fingerprint), false, null);
    }

    /// <summary>What differs between the checkpoint's origin and the experiment now, as exactly as the folder allows.</summary>
    private static string Difference(CheckpointOrigin? origin, ExperimentFingerprint now, ExperimentConfig config)
    {
        if (origin is null) return "the checkpoint records no experiment hash; it was written before checkpoints recorded one";
        var parts = new List<string>();
        if (origin.ConfigSha256 != now.ConfigSha256) parts.Add(ConfigDifference(origin.ConfigSha256, config));
        if (origin.UpstreamManifestSha256 != now.UpstreamManifestSha256)
            parts.Add($"the model it starts from ({config.Model.Path}) was trained again since");
        return string.Join("; ", parts);
    }

    /// <summary>The changed JSON paths when the folder still holds the experiment the checkpoint was trained under, else both hashes.</summary>
    private static string ConfigDifference(string before, ExperimentConfig config)
    {
        var saved = Path.Combine(config.Output, TrainingOutput.ResolvedExperimentFileName);
        var hashes = $"the merged experiment changed: config sha256 {before[..12]}… in the checkpoint, {ExperimentFingerprint.Sha256(config.ResolvedJson)[..12]}… now";
        try
        {
            if (!File.Exists(saved)) return hashes;
            var text = File.ReadAllText(saved);
            if (ExperimentFingerprint.Sha256(text) != before) return hashes;
            var changed = ExperimentDiff.Of(JsonNode.Parse(text), JsonNode.Parse(config.ResolvedJson));
            if (changed.Count == 0) return hashes;
            return "the experiment changed: " + string.Join("; ", changed.Take(ShownDifferences)) +
                   (changed.Count > ShownDifferences ? $"; and {changed.Count - ShownDifferences} more" : "");
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return hashes;
        }
    }
}
