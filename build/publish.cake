// Publishing and packaging: results to GitHub (check run + PR comment), the global tool and the
// MSBuild package to artifacts/packages, and the matrix as a SLURM job array.

Task("Publish")
    .IsDependentOn("Build")
    .Does(() =>
{
    if (string.IsNullOrEmpty(EnvironmentVariable("GITHUB_TOKEN")))
    {
        Information("Publish: skipped (GITHUB_TOKEN is not set)");
        return;
    }
    Hierreason($"publish \"{Parameters.Results}\"", "Publish");
});

Task("Pack")
    .IsDependentOn("Build")
    .Does(() =>
{
    var output = Parameters.Artifacts.Combine("packages");
    foreach (var project in new[] { "src/HierReason.Cli/HierReason.Cli.csproj", "src/HierReason.MSBuild/HierReason.MSBuild.csproj" })
    {
        if (!FileExists(project)) continue;
        DotNetPack(project, new DotNetPackSettings
        {
            Configuration = Parameters.Configuration,
            OutputDirectory = output,
            NoBuild = true,
            MSBuildSettings = Parameters.MSBuild(),
        });
    }
});

Task("Slurm")
    .IsDependentOn("Build")
    .Does(() =>
{
    var args = $"slurm --models-file \"{Parameters.ModelsFile}\" --tasks-file \"{Parameters.TasksFile}\" --output \"{Parameters.Artifacts.Combine("slurm")}\"{Parameters.Filters()}";
    Hierreason(args, "Slurm");
});
