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
    // The global tool: the pointer package HierReason plus one HierReason.<rid> per platform (linux-x64, win-x64,
    // osx-arm64; linux-x64 only with --torch-backend=cuda), each built and published for its platform, so no
    // NoBuild here. Their build and publish folders (about 1 GB of libtorch each) go to a temp folder, deleted after.
    var toolBuild = System.IO.Directory.CreateTempSubdirectory("hierreason-pack-").FullName;
    try
    {
        DotNetPack("src/HierReason.Cli/HierReason.Cli.csproj", new DotNetPackSettings
        {
            Configuration = Parameters.Configuration,
            OutputDirectory = output,
            MSBuildSettings = Parameters.MSBuild().WithProperty("HierReasonToolOutput", toolBuild),
        });
    }
    finally
    {
        System.IO.Directory.Delete(toolBuild, recursive: true);
    }
    DotNetPack("src/HierReason.MSBuild/HierReason.MSBuild.csproj", new DotNetPackSettings
    {
        Configuration = Parameters.Configuration,
        OutputDirectory = output,
        NoBuild = true,
        MSBuildSettings = Parameters.MSBuild(),
    });
    foreach (var package in GetFiles(output.FullPath + "/*.nupkg"))
    {
        var megabytes = new System.IO.FileInfo(package.FullPath).Length / 1e6;
        Information($"{package.GetFilename()}: {megabytes:F1} MB");
        // nuget.org refuses packages over 250 MB.
        if (megabytes > 250) Warning($"{package.GetFilename()} is over nuget.org's 250 MB limit");
    }
});

Task("Slurm")
    .IsDependentOn("Build")
    .Does(() =>
{
    var args = $"slurm --models-file \"{Parameters.ModelsFile}\" --tasks-file \"{Parameters.TasksFile}\" --output \"{Parameters.Artifacts.Combine("slurm")}\"{Parameters.Filters()}";
    Hierreason(args, "Slurm");
});
