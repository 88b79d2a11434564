namespace HierReason.Training.Experiments;

/// <summary>A validated training experiment (<c>tasks/experiments/*.json</c> after its <c>_base_</c> chain is merged); <see cref="ResolvedJson"/> is the merged JSON that <c>training_manifest.json</c> hashes.</summary>
public sealed record ExperimentConfig(
    string Name,
    string File,
    ModelSection Model,
    DataSection Data,
    SftSection Sft,
    GrpoSection? Grpo,
    string Output,
    CheckpointSection Checkpoint,
    EvalSection Eval,
    string ResolvedJson = "",
    CurriculumSection? Curriculum = null)
{
    /// <summary>The merged files it was read from, so checks after parsing can name the file that set a value.</summary>
    internal ExperimentMerge? Merge { get; init; }

    /// <summary>The optimiser steps the experiment asks for: <c>grpo.steps</c> for a GRPO run, else <c>sft.steps</c>.</summary>
    public int TargetSteps => Grpo?.Steps ?? Sft.Steps;

    /// <summary>The file that set the value at <paramref name="jsonPath"/> (a base or the experiment itself).</summary>
    public string FileOf(string jsonPath) => Merge?.FileOf(jsonPath) ?? File;

    /// <summary>Loads, merges and validates <paramref name="path"/>; <paramref name="tasksDirectory"/> holds <c>&lt;task&gt;.json</c> defaults (default: the parent of the experiment's folder).</summary>
    public static ExperimentConfig Load(string path, string? tasksDirectory = null)
    {
        var merge = ExperimentMerge.Load(path);
        tasksDirectory ??= Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path)));
        return new ExperimentParser(merge, path, tasksDirectory).Parse();
    }
}
