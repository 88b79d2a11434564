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
    Hierreason($"train --models \"{Parameters.ModelsFile}\" --if-changed{Parameters.Filters()}", "TrainDefault");
});

Task("Benchmark")
    .IsDependentOn("TrainDefault")
    .Does(() =>
{
    var args = $"bench --models \"{Parameters.ModelsFile}\" --tasks \"{Parameters.TasksFile}\" --out \"{Parameters.Results}\"{Parameters.Filters()}";
    if (!string.IsNullOrWhiteSpace(Parameters.Gpus)) args += $" --gpus \"{Parameters.Gpus}\"";
    if (!string.IsNullOrWhiteSpace(Parameters.CpuSlots)) args += $" --cpu-slots {Parameters.CpuSlots}";
    if (!string.IsNullOrWhiteSpace(Parameters.Schedule)) args += $" --schedule {Parameters.Schedule}";
    if (Parameters.Force) args += " --force";
    Hierreason(args, "Benchmark");
    // A filtered run is not comparable with the full approved snapshot: verify only the full matrix.
    if (string.IsNullOrWhiteSpace(Parameters.Tasks) && string.IsNullOrWhiteSpace(Parameters.Models))
        Hierreason($"verify \"{Parameters.Results}\" --approved \"{Parameters.Approved}\"", "Verify");
    else
        Information("Verify: skipped (--tasks/--models select part of the matrix)");
});
