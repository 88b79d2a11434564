using HierReason.Core.IO;
using HierReason.Engine.Lora;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Checkpoints;
using HierReason.Training.Evaluation;
using HierReason.Training.Experiments;
using HierReason.Training.Sft;

namespace HierReason.Training.Runs;

/// <summary>
/// A training run's output folder as a whole: which of its entries a run writes (the model, metrics, evaluations,
/// checkpoints, manifest, curves, summaries and their temp files), whether it holds an earlier run, and clearing that
/// run for <c>--overwrite</c>. Files a run does not write are never touched.
/// </summary>
public static class TrainingOutput
{
    /// <summary>The resolved (merged) experiment the config hash is computed from, byte for byte: <c>sha256sum</c> of it is the manifest's <c>config_sha256</c>.</summary>
    public const string ResolvedExperimentFileName = "experiment.resolved.json";

    /// <summary>
    /// Where <c>--overwrite</c> moves the earlier run's entries before deleting them. While it exists a clearing was
    /// interrupted: the folder is nobody's finished run, and only another <c>--overwrite</c> may use it.
    /// </summary>
    public const string ClearingFolderName = ".overwriting";

    private static readonly HashSet<string> RunFileNames = new(StringComparer.Ordinal)
    {
        SftRun.MetricsFileName, SftRun.EvalFileName, SftRun.SummaryFileName, TrainingManifest.FileName, TrainingCurves.FileName,
        ResolvedExperimentFileName, ReadinessReport.FileName,
        "config.json", LoraAdapter.ConfigFileName,
        TokenizerFiles.TokenizerJson, TokenizerFiles.TokenizerConfig, TokenizerFiles.GenerationConfig, TokenizerFiles.VocabJson,
        TokenizerFiles.MergesTxt, "special_tokens_map.json",
    };

    /// <summary>True for an entry name a training run writes: one of its files, weights, a checkpoint folder, or a temp file of any of them.</summary>
    public static bool IsRunEntry(string name)
    {
        if (name == ClearingFolderName) return true;
        var core = name;
        // AtomicFile's temp files are ".<name>.<pid>.<random>.tmp"; others end "<name>.tmp", "<name>.tmp-<random>" or "<name>.tmp.png".
        if (AtomicFile.OwnerOf(name) is not null) core = string.Join('.', name.Split('.')[1..^3]);
        var temp = core.IndexOf(".tmp", StringComparison.Ordinal);
        if (temp > 0) core = core[..temp];
        return RunFileNames.Contains(core) || core.StartsWith(CheckpointStore.Prefix, StringComparison.Ordinal)
               || core.EndsWith(".safetensors", StringComparison.Ordinal) || core.EndsWith(".safetensors.index.json", StringComparison.Ordinal);
    }

    /// <summary>The names of the run entries in <paramref name="directory"/>, sorted; empty when it holds no earlier run (or does not exist).</summary>
    public static IReadOnlyList<string> RunEntries(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().Where(IsRunEntry).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>True when an <c>--overwrite</c> of <paramref name="directory"/> began clearing it and did not finish.</summary>
    public static bool ClearingInterrupted(string directory) => Directory.Exists(Path.Combine(directory, ClearingFolderName));

    /// <summary>A short list of what an earlier run left in <paramref name="directory"/>, for messages.</summary>
    public static string Describe(IReadOnlyList<string> entries) =>
        string.Join(", ", entries.Take(4)) + (entries.Count > 4 ? $" and {entries.Count - 4} more" : "");

    /// <summary>
    /// Deletes the run entries of <paramref name="directory"/>. They are first moved, one rename each, into
    /// <see cref="ClearingFolderName"/>, the manifest first; that folder is deleted last. A crash part-way leaves that
    /// folder behind, which every later run sees (<see cref="ClearingInterrupted"/>): none treats the remains as a
    /// finished run or continues from them, and the next <c>--overwrite</c> finishes the job before anything new is written.
    /// </summary>
    public static void Clear(string directory)
    {
        if (!Directory.Exists(directory)) return;
        var clearing = Path.Combine(directory, ClearingFolderName);
        Directory.CreateDirectory(clearing);
        var entries = RunEntries(directory).Where(n => n != ClearingFolderName).OrderBy(n => n != TrainingManifest.FileName);
        foreach (var name in entries)
        {
            var source = Path.Combine(directory, name);
            var target = Path.Combine(clearing, name);
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            if (Directory.Exists(source)) Directory.Move(source, target);
            else File.Move(source, target, overwrite: true);
        }
        Directory.Delete(clearing, recursive: true);
    }

    /// <summary>
    /// What a run does before its first write: clear the earlier run when asked (<c>--overwrite</c>), create the folder,
    /// remove the manifest (the model beside it is about to change) and save the resolved experiment.
    /// </summary>
    internal static void Begin(ExperimentConfig config, bool clearFirst)
    {
        if (clearFirst) Clear(config.Output);
        Directory.CreateDirectory(config.Output);
        File.Delete(Path.Combine(config.Output, TrainingManifest.FileName));
        AtomicFile.WriteAllText(Path.Combine(config.Output, ResolvedExperimentFileName), config.ResolvedJson);
    }
}
