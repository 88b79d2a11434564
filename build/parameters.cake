// Command-line arguments of the pipeline, read once.
public static class Parameters
{
    public static string Target { get; private set; } = "Default";
    public static string Configuration { get; private set; } = "Release";
    public static string TorchBackend { get; private set; } = "cpu";
    public static string Gpus { get; private set; } = "";
    public static string Tasks { get; private set; } = "";
    public static string Models { get; private set; } = "";
    public static string TestFilter { get; private set; } = "";
    public static bool AllTests { get; private set; }
    public static string Schedule { get; private set; } = "";
    public static string CpuSlots { get; private set; } = "";
    public static bool Force { get; private set; }
    public static DirectoryPath Artifacts { get; private set; } = "artifacts";
    public static DirectoryPath Results => Artifacts.Combine("benchmark_results");
    public static FilePath ModelsFile { get; private set; } = "models.json";
    public static FilePath TasksFile { get; private set; } = "tasks.json";
    public static FilePath Approved { get; private set; } = "tests/approved/benchmark.approved.json";
    public static DirectoryPath HierarchicalResults => Artifacts.Combine("hierarchical_results");
    public static FilePath HierarchicalModelsFile => "tasks/hierarchical/models.json";
    public static FilePath HierarchicalTasksFile => "tasks/hierarchical/tasks.json";
    public static FilePath HierarchicalApproved { get; private set; } = "tests/approved/hierarchical.approved.json";
    public static DirectoryPath SearchResults => Artifacts.Combine("search_results");
    public static FilePath SearchModelsFile => "tasks/search/models.json";
    public static FilePath SearchTasksFile => "tasks/search/tasks.json";
    public static FilePath SearchApproved { get; private set; } = "tests/approved/search.approved.json";
    public static DirectoryPath ProcessResults => Artifacts.Combine("process_results");
    /// <summary>The process section's loop folder: labels/, reward-models/, pairs/ and models/ (read by process-summary).</summary>
    public static DirectoryPath ProcessWork => Artifacts.Combine("process");
    public static FilePath ProcessModelsFile => "tasks/process/models.json";
    public static FilePath ProcessTasksFile => "tasks/process/tasks.json";
    public static FilePath ProcessApproved { get; private set; } = "tests/approved/process.approved.json";
    /// <summary>Items per task the process loop labels and, other ones, samples pairs from; --process-items.</summary>
    public static int ProcessItems { get; private set; } = 32;
    public static DirectoryPath TaxonomyResults => Artifacts.Combine("taxonomy_results");
    public static FilePath TaxonomyModelsFile => "tasks/taxonomy/models.json";
    public static FilePath TaxonomyTasksFile => "tasks/taxonomy/tasks.json";
    public static FilePath TaxonomyApproved { get; private set; } = "tests/approved/taxonomy.approved.json";
    /// <summary>BenchmarkHierarchical's sections: planner (planner / worker, issue 19), search (thinker / searcher, issue 20), process (process rewards, issue 22) and taxonomy (taxonomy-guided thinking, issue 23).</summary>
    public static IReadOnlyList<string> KnownSections { get; } = new[] { "planner", "search", "process", "taxonomy" };
    public static IReadOnlyList<string> Sections { get; private set; } = KnownSections;

    public static void Read(ICakeContext context)
    {
        Target = context.Argument("target", "Default");
        Configuration = context.Argument("configuration", "Release");
        TorchBackend = context.Argument("torch-backend", "cpu").ToLowerInvariant();
        if (TorchBackend != "cpu" && TorchBackend != "cuda")
            throw new Exception($"--torch-backend: expected cpu or cuda, got '{TorchBackend}'");
        Gpus = context.Argument("gpus", "");
        Tasks = context.Argument("tasks", "");
        Models = context.Argument("models", "");
        TestFilter = context.Argument("test-filter", "");
        AllTests = context.HasArgument("all-tests");
        Schedule = context.Argument("schedule", "");
        CpuSlots = context.Argument("cpu-slots", "");
        Force = context.HasArgument("force");
        ModelsFile = context.Argument("models-file", "models.json");
        TasksFile = context.Argument("tasks-file", "tasks.json");
        Approved = context.Argument("approved", "tests/approved/benchmark.approved.json");
        HierarchicalApproved = context.Argument("hierarchical-approved", "tests/approved/hierarchical.approved.json");
        SearchApproved = context.Argument("search-approved", "tests/approved/search.approved.json");
        ProcessApproved = context.Argument("process-approved", "tests/approved/process.approved.json");
        TaxonomyApproved = context.Argument("taxonomy-approved", "tests/approved/taxonomy.approved.json");
        ProcessItems = context.Argument("process-items", 32);
        if (ProcessItems < 2) throw new Exception($"--process-items: expected at least 2, got {ProcessItems}");
        Sections = context.Argument("sections", string.Join(",", KnownSections)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = Sections.Where(x => !KnownSections.Contains(x)).ToList();
        if (Sections.Count == 0 || unknown.Count > 0)
            throw new Exception($"--sections: expected a comma-separated list of {string.Join(", ", KnownSections)}; got '{context.Argument("sections", "")}'");
    }

    /// <summary>The built CLI (hierreason.dll) of the chosen configuration.</summary>
    public static FilePath Cli => $"src/HierReason.Cli/bin/{Configuration}/net10.0/hierreason.dll";

    /// <summary>The harness filters of Benchmark, BenchmarkHierarchical and Slurm, passed on as hierreason's --tasks/--models (the same names).</summary>
    public static string Filters() => ModelsFilter() + (string.IsNullOrWhiteSpace(Tasks) ? "" : $" --tasks \"{Tasks}\"");

    /// <summary>The --models filter alone: `train` has no --tasks (the task mix is part of each experiment).</summary>
    public static string ModelsFilter() => string.IsNullOrWhiteSpace(Models) ? "" : $" --models \"{Models}\"";

    /// <summary>MSBuild settings shared by every dotnet call: configuration and TorchSharp backend.</summary>
    public static DotNetMSBuildSettings MSBuild() => new DotNetMSBuildSettings()
        .WithProperty("TorchBackend", TorchBackend);
}

Parameters.Read(Context);

/// <summary>Runs the built `hierreason` CLI with <paramref name="arguments"/>; a non-zero exit fails the target.</summary>
void Hierreason(string arguments, string what)
{
    if (!FileExists(Parameters.Cli))
        throw new Exception($"{Parameters.Cli} is missing: run the Build target first");
    Information($"hierreason {arguments}");
    var exit = StartProcess("dotnet", new ProcessSettings { Arguments = $"\"{MakeAbsolute(Parameters.Cli)}\" {arguments}" });
    if (exit != 0) throw new Exception($"{what} failed (hierreason exited with {exit}); its message is above");
}
