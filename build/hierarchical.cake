// BenchmarkHierarchical: the hierarchical strategies, each section from its own files, verified against its own snapshot.
//   planner (issue 19): trains the tiny worker and planners (tiny-sft first, shared with Benchmark), benchmarks
//     configurations A/B/S/C/O from tasks/hierarchical/, and writes the measurement (hierarchical.json / .md: accuracies,
//     planner statistics, gap closed); snapshot --hierarchical-approved.
//   search (issue 20): trains the tiny thinker (SFT, then GRPO with the extractive searcher) and benchmarks closed-book,
//     flat search, thinker + searcher and the oracle searcher per hop level from tasks/search/; snapshot --search-approved.
// --sections=planner or --sections=search runs one of them (default: both).
// --models-file, --tasks-file and --approved belong to Benchmark.

bool Section(string name) => Parameters.Sections.Contains(name);

Task("TrainHierarchical")
    .IsDependentOn("Build")
    .Does(() =>
{
    if (Section("planner")) TrainModels(Parameters.HierarchicalModelsFile, "TrainHierarchical (planner / worker)");
    if (Section("search")) TrainModels(Parameters.SearchModelsFile, "TrainHierarchical (thinker / searcher)");
});

Task("BenchmarkHierarchical")
    .IsDependentOn("TrainHierarchical")
    .Does(() =>
{
    // The measurement is written before verification, so a first run (no snapshot yet) or a failed check still has it.
    if (Section("planner"))
        BenchAndVerify(Parameters.HierarchicalModelsFile, Parameters.HierarchicalTasksFile, Parameters.HierarchicalResults, Parameters.HierarchicalApproved,
            "BenchmarkHierarchical (planner / worker)", () => Hierreason($"hierarchical-summary \"{Parameters.HierarchicalResults}\"", "Hierarchical summary"));
    if (Section("search"))
        BenchAndVerify(Parameters.SearchModelsFile, Parameters.SearchTasksFile, Parameters.SearchResults, Parameters.SearchApproved,
            "BenchmarkHierarchical (thinker / searcher)");
});
