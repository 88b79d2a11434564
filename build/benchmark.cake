// The main job: train what models.json declares (when missing or changed), run the task × model
// matrix as worker processes, aggregate, chart, and verify against the approved snapshot.
// Everything happens inside `hierreason`; this file only passes the arguments on.

// Trains each model that models.json declares with "train", in file order: skips a finished model of the
// same resolved experiment and upstream model, resumes a partial run of it (e.g. an earlier --max-steps run),
// and retrains anything else from scratch (`train --if-changed` passes --overwrite's start itself).
Task("TrainDefault")
    .IsDependentOn("Build")
    .Does(() =>
{
    TrainModels(Parameters.ModelsFile, "TrainDefault");
});

Task("Benchmark")
    .IsDependentOn("TrainDefault")
    .Does(() =>
{
    BenchAndVerify(Parameters.ModelsFile, Parameters.TasksFile, Parameters.Results, Parameters.Approved, "Benchmark");
});

/// <summary>`hierreason train --models-file <models> --if-changed` with the --models filter (--tasks filters only the benchmark).</summary>
void TrainModels(FilePath models, string what) =>
    Hierreason($"train --models-file \"{models}\" --if-changed{Parameters.ModelsFilter()}", what);

/// <summary>
/// `hierreason bench` of <paramref name="models"/> × <paramref name="tasks"/> into <paramref name="results"/> (with the
/// device, schedule and --force arguments), <paramref name="afterBench"/>, `hierreason report` (report/index.html beside summary.md),
/// then `hierreason verify` against <paramref name="approved"/>
/// (which writes the verification.json that the Publish target's `hierreason publish` checks against the newest results file).
/// </summary>
void BenchAndVerify(FilePath models, FilePath tasks, DirectoryPath results, FilePath approved, string what, Action afterBench = null)
{
    var args = $"bench --models-file \"{models}\" --tasks-file \"{tasks}\" --output \"{results}\"{Parameters.Filters()}";
    if (!string.IsNullOrWhiteSpace(Parameters.Gpus)) args += $" --gpus \"{Parameters.Gpus}\"";
    if (!string.IsNullOrWhiteSpace(Parameters.CpuSlots)) args += $" --cpu-slots {Parameters.CpuSlots}";
    if (!string.IsNullOrWhiteSpace(Parameters.Schedule)) args += $" --schedule {Parameters.Schedule}";
    if (Parameters.Force) args += " --force";
    Hierreason(args, what);
    // The bench wrote a newer results file, so a verification.json from an earlier run is a verdict on other numbers: publish
    // refuses it (exit 2). Removed here, a skipped or failed verify leaves the run "not verified" instead.
    var verdict = results.CombineWithFilePath("verification.json");
    if (FileExists(verdict))
    {
        DeleteFile(verdict);
        Information($"Removed {verdict} (it verified an earlier results file)");
    }
    afterBench?.Invoke();
    approved = DeviceSnapshot(approved);
    // The HTML report (results/report/index.html): Δ against the approved snapshot when there is one.
    Hierreason($"report \"{results}\"" + (FileExists(approved) ? $" --approved \"{approved}\"" : ""), "Report");
    // A filtered run is not comparable with the full approved snapshot: verify only the full matrix.
    if (!string.IsNullOrWhiteSpace(Parameters.Tasks) || !string.IsNullOrWhiteSpace(Parameters.Models))
        Information("Verify: skipped (--tasks/--models select part of the matrix)");
    else if (!FileExists(approved) && Parameters.TorchBackend != "cpu")
    {
        // No snapshot for this device kind yet: a CPU-trained snapshot is no baseline for CUDA numbers. Write this run as a
        // candidate beside the results (uploaded with them) and fail until someone reviews and commits it.
        var candidate = results.CombineWithFilePath(approved.GetFilename().FullPath.Replace(".approved.json", ".candidate.json"));
        Hierreason($"verify \"{results}\" --approved \"{candidate}\" --accept", "Verify");
        throw new Exception($"Verify: no approved snapshot for the {Parameters.TorchBackend} backend at {approved}. This run's rows are in {candidate}: review them and commit the file as {approved}.");
    }
    else
        Hierreason($"verify \"{results}\" --approved \"{approved}\"", "Verify");
}

/// <summary>
/// The approved snapshot for the chosen TorchSharp backend: the CPU backend uses <paramref name="approved"/> itself, another
/// backend its own file beside it (<c>benchmark.approved.json</c> → <c>benchmark.cuda.approved.json</c>): trained numbers
/// differ between device kinds, so each kind is verified against a snapshot taken on it.
/// </summary>
FilePath DeviceSnapshot(FilePath approved)
{
    if (Parameters.TorchBackend == "cpu") return approved;
    var name = approved.GetFilename().FullPath;
    var kind = name.EndsWith(".approved.json")
        ? name.Substring(0, name.Length - ".approved.json".Length) + $".{Parameters.TorchBackend}.approved.json"
        : approved.GetFilenameWithoutExtension().FullPath + $".{Parameters.TorchBackend}" + approved.GetExtension();
    return approved.GetDirectory().CombineWithFilePath(kind);
}
