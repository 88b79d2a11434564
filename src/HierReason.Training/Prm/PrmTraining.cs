using System.Globalization;
using System.Text.Json;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Engine.Models;
using HierReason.Engine.Prm;
using HierReason.Engine.Tokenizers;

namespace HierReason.Training.Prm;

/// <summary>
/// <c>hierreason prm train</c> end to end: read the stepwise data, split off the held-out part, put a seeded head on the causal LM,
/// train, evaluate before and after, and write the PRM checkpoint with its <c>training_summary.json</c> into a temp folder that
/// is renamed to the output only when complete.
/// </summary>
public static class PrmTraining
{
    public static PrmTrainSummary Run(string modelDirectory, string dataPath, string outputDirectory, PrmTrainSettings settings, bool overwrite, Action<string> log) =>
        Run(modelDirectory, [dataPath], outputDirectory, settings, overwrite, log);

    /// <summary>
    /// Trains on the lines of every file in <paramref name="dataPaths"/>; with <paramref name="outcomeLabels"/> each step is
    /// labelled with its solution's <c>final_correct</c> (an outcome reward model, the outcome-only row's scorer).
    /// </summary>
    public static PrmTrainSummary Run(string modelDirectory, IReadOnlyList<string> dataPaths, string outputDirectory, PrmTrainSettings settings, bool overwrite,
        Action<string> log, bool outcomeLabels = false)
    {
        settings.Validate();
        var output = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputDirectory));
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any() && !overwrite)
            throw new TrainingException($"{output}: already exists and is not empty; pass --overwrite to replace it");
        var examples = StepwiseData.Read(dataPaths, requireLabels: true, outcomeLabels);
        var (train, heldOut) = PrmTrainer.Split(examples, settings.HeldOut, settings.Seed);
        log($"prm train: {(outcomeLabels ? "outcome labels, " : "")}{examples.Count} trajectories ({examples.Sum(e => e.Steps.Count)} steps): {train.Count} train, {heldOut.Count} held out");

        var tokenizer = TokenizerLoader.Load(modelDirectory);
        using var model = PrmCheckpoint.FromCausalLM(modelDirectory, settings.Seed, settings.NumLabels, DeviceSpec.Cpu);
        var trainer = new PrmTrainer(model, tokenizer, settings);
        var before = trainer.Evaluate(heldOut);
        if (before is not null) log("prm train: held out before: " + before.Describe());
        var result = trainer.Train(train, p => log(string.Create(CultureInfo.InvariantCulture,
            $"prm train: step {p.Step}/{p.TotalSteps} epoch {p.Epoch} loss {p.Loss:0.0000} lr {p.LearningRate:0.##e+0} {p.StepsPerSecond:0.00} steps/s")));
        var after = trainer.Evaluate(heldOut);
        if (after is not null) log("prm train: held out after: " + after.Describe());
        if (result.TruncatedSteps > 0) log($"prm train: {result.TruncatedSteps} steps fell past max_length {settings.MaxLength} and were not trained");

        var summary = new PrmTrainSummary
        {
            BaseModel = Path.GetFullPath(modelDirectory),
            Data = dataPaths.Select(Path.GetFullPath).ToArray(),
            Labels = outcomeLabels ? "outcome" : "step",
            Settings = settings,
            TrainTrajectories = train.Count,
            TrainSteps = result.LabelledSteps / settings.Epochs,
            HeldOutTrajectories = heldOut.Count,
            OptimizerSteps = result.Losses.Count,
            TruncatedSteps = result.TruncatedSteps,
            Losses = result.Losses,
            Seconds = result.Seconds,
            OptimizerStepsPerSecond = result.Losses.Count / result.Seconds,
            LabelledStepsPerSecond = result.LabelledSteps / result.Seconds,
            HeldOutBefore = before,
            HeldOutAfter = after,
        };
        WriteAtomically(output, dir =>
        {
            PrmCheckpoint.Save(model, dir, modelDirectory);
            AtomicFile.WriteAllText(Path.Combine(dir, PrmTrainSummary.FileName), JsonSerializer.Serialize(summary, HierJson.Indented));
        });
        log($"prm train: wrote {output}");
        return summary;
    }

    // The folder appears complete or not at all: a crash mid-write leaves only "<out>.tmp-…", never a PRM that loads half-written.
    private static void WriteAtomically(string output, Action<string> write)
    {
        var temp = output + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(temp);
        try
        {
            write(temp);
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
            Directory.Move(temp, output);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
            throw new TrainingException($"{output}: writing the PRM failed ({e.Message})", e);
        }
    }
}
