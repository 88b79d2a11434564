// Issue 19's planner/worker benchmark: trains the tiny worker and planners (tiny-sft first, shared with Benchmark),
// benchmarks configurations A/B/S/C/O on multi_step_arithmetic level 2 from its own files, verifies against its own
// snapshot, and writes the measurement (hierarchical.json / .md: accuracies, planner statistics, gap closed).
// --models-file, --tasks-file and --approved belong to Benchmark; this target's snapshot is --hierarchical-approved.

Task("TrainHierarchical")
    .IsDependentOn("Build")
    .Does(() =>
{
    TrainModels(Parameters.HierarchicalModelsFile, "TrainHierarchical");
});

Task("BenchmarkHierarchical")
    .IsDependentOn("TrainHierarchical")
    .Does(() =>
{
    // The measurement is written before verification, so a first run (no snapshot yet) or a failed check still has it.
    BenchAndVerify(Parameters.HierarchicalModelsFile, Parameters.HierarchicalTasksFile, Parameters.HierarchicalResults, Parameters.HierarchicalApproved,
        "BenchmarkHierarchical", () => Hierreason($"hierarchical-summary \"{Parameters.HierarchicalResults}\"", "Hierarchical summary"));
});
