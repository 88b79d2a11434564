namespace HierReason.Ecosystem.Tests.MSBuild;

/// <summary>A consumer project restores HierReason.MSBuild from a local feed and builds with both tasks, for real.</summary>
public sealed class ConsumerBuildTests(MSBuildPackageFeed feed) : IClassFixture<MSBuildPackageFeed>
{
    /// <summary>A project with no sources that validates on build (the package's default) and benchmarks after it.</summary>
    private static string Project(string runBenchmark = """<RunBenchmark Tool="$(HierReasonCli)" ModelsFile="models.json" TasksFile="tasks.json" DryRun="true" />""",
        string properties = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
            {properties}
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="HierReason.MSBuild" Version="{MSBuildPackageFeed.Version}" PrivateAssets="all" />
          </ItemGroup>
          <Target Name="Benchmark" AfterTargets="Build">
            {runBenchmark}
          </Target>
        </Project>
        """;

    private const string Models = """
        {
          "models": [
            { "name": "tiny", "backend": "local", "path": "models/tiny" }
          ]
        }
        """;

    private const string GoodTasks = """
        {
          "tasks": [
            { "task": "leg_counting", "n": 5 },
            { "task": "chain_sum", "n": 5 }
          ]
        }
        """;

    [Fact]
    public void The_package_holds_the_tasks_their_dependencies_and_the_build_files()
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(feed.Package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("build/HierReason.MSBuild.props", entries);
        Assert.Contains("build/HierReason.MSBuild.targets", entries);
        Assert.Contains("tasks/net10.0/HierReason.MSBuild.dll", entries);
        Assert.Contains("tasks/net10.0/HierReason.Core.dll", entries);
        Assert.Contains("tasks/net10.0/HierReason.Harness.dll", entries);
        Assert.DoesNotContain(entries, e => e.Contains("Microsoft.Build", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_good_matrix_builds_and_runs_the_benchmark_dry_run()
    {
        var dir = feed.NewConsumer("good", Project(), new Dictionary<string, string> { ["models.json"] = Models, ["tasks.json"] = GoodTasks });
        var build = await MSBuildPackageFeed.Build(dir);
        Assert.True(build.ExitCode == 0, "the consumer's build failed:\n" + build.All);
        Assert.Contains("HierReason: benchmark matrix OK (1 models, 2 task entries)", build.Out);
        // RunBenchmark launched `hierreason bench --dry-run`: its job list is in the build log.
        Assert.Contains("2 job(s); run folder", build.Out);
        Assert.Contains("leg_counting × tiny seed 0 n 5", build.Out);
        Assert.Contains("chain_sum × tiny seed 0 n 5", build.Out);
    }

    [Fact]
    public async Task Tasks_filters_the_benchmark_and_the_old_OnlyTasks_still_does_with_warning_HR1003()
    {
        var files = new Dictionary<string, string> { ["models.json"] = Models, ["tasks.json"] = GoodTasks };
        var filtered = feed.NewConsumer("filtered",
            Project("""<RunBenchmark Tool="$(HierReasonCli)" ModelsFile="models.json" TasksFile="tasks.json" Tasks="chain_sum" DryRun="true" />"""), files);
        var build = await MSBuildPackageFeed.Build(filtered);
        Assert.True(build.ExitCode == 0, "the consumer's build failed:\n" + build.All);
        Assert.Contains("1 job(s); run folder", build.Out);
        Assert.Contains("chain_sum × tiny seed 0 n 5", build.Out);
        Assert.DoesNotContain("HR1003", build.All);

        var old = feed.NewConsumer("old-filter",
            Project("""<RunBenchmark Tool="$(HierReasonCli)" ModelsFile="models.json" TasksFile="tasks.json" OnlyTasks="leg_counting" DryRun="true" />"""), files);
        var oldBuild = await MSBuildPackageFeed.Build(old);
        Assert.True(oldBuild.ExitCode == 0, "the consumer's build failed:\n" + oldBuild.All);
        Assert.Contains("1 job(s); run folder", oldBuild.Out);
        Assert.Contains("leg_counting × tiny seed 0 n 5", oldBuild.Out);
        Assert.Contains("warning HR1003: RunBenchmark: OnlyTasks is deprecated; use Tasks", oldBuild.All);
    }

    [Fact]
    public async Task A_broken_tasks_json_fails_the_build_at_its_file_line_and_column()
    {
        const string brokenTasks = """
            {
              "tasks": [
                { "task": "leg_counting", "n": 5 },
                { "task": "no_such_task", "n": 5 }
              ]
            }
            """;
        var dir = feed.NewConsumer("broken", Project(), new Dictionary<string, string> { ["models.json"] = Models, ["tasks.json"] = brokenTasks });
        var build = await MSBuildPackageFeed.Build(dir);
        Assert.NotEqual(0, build.ExitCode);
        var tasksFile = Path.Combine(dir, "tasks.json");
        Assert.Contains($"{tasksFile}(4,7): error HR1001: $.tasks[1].task: expected a registered task (one of: ", build.Out);
        Assert.Contains("found 'no_such_task'", build.Out);
        // Validation runs before compiling, so the benchmark never starts.
        Assert.DoesNotContain("job(s); run folder", build.Out);
    }

    // Slow only to keep the default run short: JsonPositionsTests cover the locating in-process.
    [Fact, Trait("Category", "Slow")]
    public async Task A_model_missing_its_backend_is_located_at_its_object()
    {
        const string brokenModels = """
            {
              "models": [
                { "name": "tiny", "path": "models/tiny" }
              ]
            }
            """;
        var dir = feed.NewConsumer("models", Project(), new Dictionary<string, string> { ["models.json"] = brokenModels, ["tasks.json"] = GoodTasks });
        var build = await MSBuildPackageFeed.Build(dir);
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains($"{Path.Combine(dir, "models.json")}(3,5): error HR1001: $.models[0].backend: expected \"backend\" (a required field)", build.Out);
    }

    [Fact]
    public async Task A_failing_benchmark_fails_the_build()
    {
        // Validation off, so the bad file reaches hierreason itself, which exits 2.
        var project = Project(
            """<RunBenchmark Tool="$(HierReasonCli)" ModelsFile="models.json" TasksFile="missing-tasks.json" DryRun="true" />""",
            "<HierReasonValidateOnBuild>false</HierReasonValidateOnBuild>");
        var dir = feed.NewConsumer("failing", project, new Dictionary<string, string> { ["models.json"] = Models });
        var build = await MSBuildPackageFeed.Build(dir);
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("missing-tasks.json: no such task set file", build.Out);
        Assert.Contains("error HR1002: RunBenchmark: hierreason bench exited with code 2", build.Out);
    }
}
