// Compiles the solution with the chosen TorchSharp backend.
Task("Build")
    .IsDependentOn("Prerequisites")
    .Does(() =>
{
    DotNetBuild("HierReason.sln", new DotNetBuildSettings
    {
        Configuration = Parameters.Configuration,
        MSBuildSettings = Parameters.MSBuild(),
    });
});
