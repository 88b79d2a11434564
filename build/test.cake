// Runs every test project; results land in artifacts/test-results/*.trx (what .ci/run counts).
// Slow end-to-end checks carry [Trait("Category", "Slow")] and run only with --all-tests.
Task("Test")
    .IsDependentOn("Build")
    .Does(() =>
{
    var results = Parameters.Artifacts.Combine("test-results");
    EnsureDirectoryExists(results);
    CleanDirectory(results);
    var filter = Parameters.TestFilter;
    if (!Parameters.AllTests)
        filter = string.IsNullOrEmpty(filter) ? "Category!=Slow" : $"({filter})&Category!=Slow";
    var failed = new List<string>();
    foreach (var project in GetFiles("tests/**/*.Tests.csproj"))
    {
        var name = project.GetFilenameWithoutExtension().ToString();
        try
        {
            DotNetTest(project.FullPath, new DotNetTestSettings
            {
                Configuration = Parameters.Configuration,
                NoBuild = true,
                Filter = filter,
                MSBuildSettings = Parameters.MSBuild(),
                Loggers = new[] { $"trx;LogFileName={name}.trx", "console;verbosity=normal" },
                ResultsDirectory = results,
            });
        }
        catch (Exception)
        {
            failed.Add(name);
        }
    }
    if (failed.Count > 0) throw new Exception("tests failed in: " + string.Join(", ", failed));
});
