// BenchmarkHierarchical: the hierarchical strategies, each section from its own files, verified against its own snapshot.
//   planner (issue 19): trains the tiny worker and planners (tiny-sft first, shared with Benchmark), benchmarks
//     configurations A/B/S/C/O from tasks/hierarchical/, and writes the measurement (hierarchical.json / .md: accuracies,
//     planner statistics, gap closed); snapshot --hierarchical-approved.
//   search (issue 20): trains the tiny thinker (SFT, then GRPO with the extractive searcher) and benchmarks closed-book,
//     flat search, thinker + searcher and the oracle searcher per hop level from tasks/search/; snapshot --search-approved.
//   process (issue 22): the process-reward loop on tiny-sft over tasks/process/configs/ (chain_sum, basic_arithmetic,
//     multi_step_arithmetic): Monte-Carlo step labels → a PRM and an outcome RM → pairs (outcome, PRM-ranked, step) → DPO,
//     pDPO, Step-DPO; then benchmarks greedy, majority@8, ORM and PRM best-of-8 and the DPO models from tasks/process/ and
//     writes process.json / .md; snapshot --process-approved. --process-items=N sets the items labelled per task (32).
//     Each step is skipped when its output is newer than its inputs (labelling resumes); --force redoes the loop.
//   taxonomy (issue 23): trains tiny-chooser (GRPO against the scripted chain_sum reasoner, ~3 minutes), benchmarks vanilla,
//     taxonomy-guided tiny-sft per default-taxonomy level and the scripted reasoner under an untrained and the trained
//     chooser from tasks/taxonomy/, and writes taxonomy.json / .md / taxonomy-types.png (taxonomy-summary); snapshot
//     --taxonomy-approved.
// --sections=planner,search,process,taxonomy picks sections (default: all four).
// --models-file, --tasks-file and --approved belong to Benchmark.

bool Section(string name) => Parameters.Sections.Contains(name);

Task("TrainHierarchical")
    .IsDependentOn("Build")
    .Does(() =>
{
    if (Section("planner")) TrainModels(Parameters.HierarchicalModelsFile, "TrainHierarchical (planner / worker)");
    if (Section("search")) TrainModels(Parameters.SearchModelsFile, "TrainHierarchical (thinker / searcher)");
    // The process models file names reward models the loop has yet to write, so tiny-sft is trained from the main one.
    if (Section("process")) Hierreason("train --models-file models.json --models tiny-sft --if-changed", "TrainHierarchical (process: tiny-sft)");
    if (Section("taxonomy")) TrainModels(Parameters.TaxonomyModelsFile, "TrainHierarchical (taxonomy: tiny-sft, tiny-chooser)");
});

/// <summary>Whether <paramref name="output"/> exists and is newer than every one of <paramref name="inputs"/>.</summary>
bool UpToDate(string output, params string[] inputs)
{
    if (Parameters.Force) return false;
    var stamp = System.IO.File.Exists(output) ? System.IO.File.GetLastWriteTimeUtc(output) : (DateTime?)null;
    return stamp is { } t && inputs.All(i => System.IO.File.Exists(i) && System.IO.File.GetLastWriteTimeUtc(i) <= t);
}

/// <summary>Issue 22's loop (see the header); every output goes under Parameters.ProcessWork.</summary>
void ProcessLoop()
{
    var work = MakeAbsolute(Parameters.ProcessWork).FullPath;
    if (Parameters.Force && DirectoryExists(work)) DeleteDirectory(work, new DeleteDirectorySettings { Recursive = true });
    var sft = "artifacts/models/tiny-sft";
    var configs = "tasks/process/configs";
    string[] tasks = ["chain_sum", "basic_arithmetic", "multi_step_arithmetic"];
    var n = Parameters.ProcessItems;
    var model = $"{sft}/model.safetensors";

    // 1. Monte-Carlo step labels, soft, every step a state, K = 8 (quality for k = 1, 2, 4, 8); resumable: a rerun continues the file.
    var labels = tasks.Select(t => $"{work}/labels/{t}.jsonl").ToArray();
    foreach (var (task, file) in tasks.Zip(labels))
        Hierreason($"prm label --model {sft} --task {task} --task-configs {configs} --split train --n-items {n} --solutions 4 --k 8 --all-steps " +
            $"--labels soft --seed 1 --output \"{file}\"", $"Process: prm label {task}");

    // 2. A PRM on the step labels and an outcome RM (every step labelled with its solution's verdict), the same trunk.
    var data = string.Concat(labels.Select(l => $" --data \"{l}\""));
    foreach (var (name, extra) in new[] { ("prm", ""), ("orm", " --outcome-labels") })
    {
        var folder = $"{work}/reward-models/{name}";
        if (UpToDate($"{folder}/training_summary.json", labels)) { Information($"Process: {name} is up to date"); continue; }
        Hierreason($"prm train{data} --model {sft} --output \"{folder}\" --lr 1e-3 --epochs 2 --batch-size 4 --held-out 0.1 --seed 1 --overwrite{extra}", $"Process: prm train ({name})");
    }

    // 3. Pairs from 8 fresh samples per item (other items than the labels': seed 2), per kind and task. pDPO pairs any
    //    strictly higher PRM score over a lower one: the tiny PRM's products are ~0.03, so a 0.1 margin would keep nothing.
    var prm = $"{work}/reward-models/prm";
    var kinds = new[] { ("outcome", "dpo"), ("prm", "pdpo"), ("step", "step-dpo") };
    foreach (var (kind, _) in kinds)
        foreach (var task in tasks)
        {
            // Step pairs need the oracle step checker, which basic_arithmetic lacks.
            if (kind == "step" && task == "basic_arithmetic") continue;
            var file = $"{work}/pairs/{kind}-{task}.jsonl";
            var inputs = kind == "prm" ? new[] { model, $"{prm}/training_summary.json" } : new[] { model };
            if (UpToDate(file, inputs)) continue;
            Hierreason($"dpo pairs --kind {kind} --model {sft} --task {task} --task-configs {configs} --split train --n-items {n} --seed 2 " +
                (kind == "prm" ? $"--prm \"{prm}\" --prm-margin 0 " : "") + $"--output \"{file}\"", $"Process: dpo pairs {kind} {task}");
        }

    // 4. DPO from tiny-sft on each kind's pairs (all tasks together). lr 1e-5: at 5e-5 (2026-12-07) both log-probs fell and
    //    greedy accuracy dropped 12 to 31 points; 1e-5 and 5e-6 moved it by at most 3.
    foreach (var (kind, name) in kinds)
    {
        var files = GetFiles($"{work}/pairs/{kind}-*.jsonl").Select(f => f.FullPath).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        var folder = $"{work}/models/{name}";
        if (UpToDate($"{folder}/training_summary.json", files)) { Information($"Process: {name} is up to date"); continue; }
        if (DirectoryExists(folder)) DeleteDirectory(folder, new DeleteDirectorySettings { Recursive = true });
        Hierreason("dpo train" + string.Concat(files.Select(f => $" --data \"{f}\"")) +
            $" --model {sft} --output \"{folder}\" --lr 1e-5 --epochs 2 --batch-size 8 --seed 1", $"Process: dpo train ({name})");
    }
}

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
    if (Section("process"))
    {
        ProcessLoop();
        BenchAndVerify(Parameters.ProcessModelsFile, Parameters.ProcessTasksFile, Parameters.ProcessResults, Parameters.ProcessApproved,
            "BenchmarkHierarchical (process rewards)",
            () => Hierreason($"process-summary \"{Parameters.ProcessResults}\" --work \"{Parameters.ProcessWork}\"", "Process summary"));
    }
    if (Section("taxonomy"))
        BenchAndVerify(Parameters.TaxonomyModelsFile, Parameters.TaxonomyTasksFile, Parameters.TaxonomyResults, Parameters.TaxonomyApproved,
            "BenchmarkHierarchical (taxonomy)", () => Hierreason($"taxonomy-summary \"{Parameters.TaxonomyResults}\"", "Taxonomy summary"));
});
