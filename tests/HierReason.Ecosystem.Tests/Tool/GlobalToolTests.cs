using System.IO.Compression;
using Xunit.Abstractions;

namespace HierReason.Ecosystem.Tests.Tool;

/// <summary>
/// The global tool end to end: <c>dotnet pack</c> the CLI (the pointer package HierReason and one HierReason.&lt;rid&gt;
/// per platform), check each package's size and payload, install HierReason from that local folder into a temporary
/// tool path (this machine gets HierReason.linux-x64), and run the installed <c>hierreason</c>: help, tasks, a tiny
/// model, a one-job benchmark, and <c>init</c> in an empty folder followed by train, bench and verify there.
/// Packing three platforms' libtorch takes minutes: the test carries its own category ("Tool"), which the default run includes.
/// </summary>
[Trait("Category", "Tool")]
public sealed class GlobalToolTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>nuget.org refuses packages above this size.</summary>
    private const long NuGetOrgLimit = 250L * 1000 * 1000;

    /// <summary>Each platform package and the libtorch it must carry.</summary>
    private static readonly (string Rid, string Libtorch)[] Platforms =
        [("linux-x64", "libtorch_cpu.so"), ("win-x64", "torch_cpu.dll"), ("osx-arm64", "libtorch_cpu.dylib")];

    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("hr-tool-");

    [Fact]
    public async Task The_packed_tool_installs_from_a_local_folder_and_runs_tasks_a_tiny_model_and_an_init_project()
    {
        var packages = Path.Combine(_temp.FullName, "packages");
        // Each platform's build and publish folders (≈ 1 GB of libtorch each) go to the temp folder, deleted after packing.
        var build = Path.Combine(_temp.FullName, "build");
        var pack = await ProcessRun.Start("dotnet",
            ["pack", RepoPaths.Combine("src", "HierReason.Cli"), "-c", "Release", "-o", packages, $"-p:HierReasonToolOutput={build}"],
            RepoPaths.Root, timeout: TimeSpan.FromMinutes(15));
        Assert.True(pack.ExitCode == 0, "dotnet pack failed:\n" + pack.All);
        Directory.Delete(build, recursive: true);

        // The pointer package: the command and the platform packages, no binaries.
        var pointer = Assert.Single(Directory.GetFiles(packages, "HierReason.*.nupkg"), p => char.IsDigit(Path.GetFileName(p)["HierReason.".Length]));
        var version = Path.GetFileNameWithoutExtension(pointer)["HierReason.".Length..];
        Assert.Equal(Platforms.Length + 1, Directory.GetFiles(packages, "*.nupkg").Length);
        using (var zip = ZipFile.OpenRead(pointer))
        {
            Assert.DoesNotContain(zip.Entries, e => e.FullName.EndsWith(".dll", StringComparison.Ordinal));
            var settings = Assert.Single(zip.Entries, e => e.Name == "DotnetToolSettings.xml");
            using var reader = new StreamReader(settings.Open());
            var xml = await reader.ReadToEndAsync();
            Assert.Contains("Command Name=\"hierreason\"", xml);
            foreach (var (rid, _) in Platforms) Assert.Contains($"HierReason.{rid}", xml);
            Assert.True(new FileInfo(pointer).Length < 1_000_000, $"the pointer package is {new FileInfo(pointer).Length} bytes");
        }

        foreach (var (rid, libtorch) in Platforms)
        {
            var package = Path.Combine(packages, $"HierReason.{rid}.{version}.nupkg");
            var size = new FileInfo(package).Length;
            output.WriteLine($"HierReason.{rid}: {size / 1e6:F1} MB");
            Assert.True(size < NuGetOrgLimit, $"HierReason.{rid} is {size / 1e6:F1} MB, over nuget.org's 250 MB");
            using var zip = ZipFile.OpenRead(package);
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            var root = $"tools/net10.0/{rid}/";
            Assert.Contains(root + "DotnetToolSettings.xml", entries);
            Assert.Contains(root + "hierreason.dll", entries);
            // This platform's natives, flattened next to the tool; none of another platform's, no symbols, no Python binding.
            Assert.Contains(root + libtorch, entries);
            Assert.DoesNotContain(entries, e => e.Contains("/runtimes/", StringComparison.Ordinal));
            Assert.DoesNotContain(entries, e => e.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(entries, e => e.Contains("torch_python", StringComparison.Ordinal));
            foreach (var (other, otherLibtorch) in Platforms.Where(p => p.Rid != rid))
                Assert.DoesNotContain(root + otherLibtorch, entries);
        }

        var toolPath = Path.Combine(_temp.FullName, "tools");
        var install = await ProcessRun.Start("dotnet",
            ["tool", "install", "HierReason", "--tool-path", toolPath, "--add-source", packages, "--version", version],
            _temp.FullName, timeout: TimeSpan.FromMinutes(10));
        Assert.True(install.ExitCode == 0, "dotnet tool install failed:\n" + install.All);
        Assert.Contains($"Tool 'hierreason' (version '{version}') was successfully installed", install.Out);
        // This machine's platform package is what got installed.
        Assert.True(File.Exists(Path.Combine(toolPath, ".store", "hierreason", version, "hierreason.linux-x64", version, "tools", "net10.0", "linux-x64", "libtorch_cpu.so")),
            "HierReason.linux-x64 was not installed:\n" + string.Join('\n', Directory.GetDirectories(Path.Combine(toolPath, ".store"), "*", SearchOption.AllDirectories).Take(20)));
        output.WriteLine($"installed: {Directory.GetFiles(toolPath, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / 1e6:F1} MB");
        var hierreason = Path.Combine(toolPath, "hierreason");

        var help = await Run(hierreason, _temp.FullName, "--help");
        Assert.Contains("Usage:", help.Out);
        Assert.Contains("publish", help.Out);
        Assert.Contains("init", help.Out);

        var tasks = await Run(hierreason, _temp.FullName, "tasks", "list");
        Assert.Contains("leg_counting", tasks.Out);

        var model = Path.Combine(_temp.FullName, "tiny");
        var init = await Run(hierreason, _temp.FullName, "model", "init", "--output", model, "--seed", "1", "--threads", "1");
        Assert.Contains("tiny model (", init.Out);
        Assert.True(File.Exists(Path.Combine(model, "model.safetensors")));

        // libtorch loads from the installed package and samples.
        var generate = await Run(hierreason, _temp.FullName, "generate", "--model", model, "--prompt", "12+7=", "--n", "1",
            "--max-new-tokens", "6", "--temperature", "0", "--threads", "1", "--json");
        Assert.Contains("\"completions\"", generate.Out);
        Assert.Contains("\"finish_reason\"", generate.Out);

        // A one-job benchmark: the installed tool orchestrates, launches itself as the worker, aggregates and charts.
        File.WriteAllText(Path.Combine(_temp.FullName, "models.json"), """{ "models": [ { "name": "tiny", "backend": "local", "path": "tiny" } ] }""");
        File.WriteAllText(Path.Combine(_temp.FullName, "tasks.json"), """{ "tasks": [ { "task": "chain_sum", "n": 4, "level": 0 } ], "defaults": { "split": "test", "seeds": [0] } }""");
        var bench = await Run(hierreason, _temp.FullName, "bench", "--models-file", "models.json", "--tasks-file", "tasks.json", "--output", "results", "--runs", "runs",
            "--threads", "1", "--batch-size", "4");
        Assert.Contains("chain_sum", bench.Out);
        var results = Path.Combine(_temp.FullName, "results");
        var summary = Assert.Single(Directory.GetFiles(results, "results_all_tasks_*.json"));
        Assert.Contains("\"n\": 4", File.ReadAllText(summary));
        Assert.Single(Directory.GetFiles(results, "summary_all_tasks_*.png"));
        Assert.True(File.Exists(Path.Combine(results, "summary.md")));

        await InitProject(hierreason);
    }

    /// <summary>
    /// <c>hierreason init</c> in an empty folder, then what its README says to do, kept short: two training steps of
    /// the written experiment, a one-job bench of the trained model with init's models.json and task configs, verify.
    /// </summary>
    private async Task InitProject(string hierreason)
    {
        var project = Directory.CreateDirectory(Path.Combine(_temp.FullName, "project")).FullName;
        var init = await Run(hierreason, project, "init");
        Assert.Contains("wrote tasks/experiments/tiny-sft.json", init.Out);
        Assert.Contains("hierreason train tasks/experiments/tiny-sft.json", init.Out);
        Assert.True(File.Exists(Path.Combine(project, ".github", "workflows", "benchmark.yml")));

        var again = await ProcessRun.Start(hierreason, ["init"], project, timeout: TimeSpan.FromMinutes(1));
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exist", again.Err);

        var train = await Run(hierreason, project, "train", "tasks/experiments/tiny-sft.json", "--max-steps", "2", "--threads", "1");
        Assert.True(File.Exists(Path.Combine(project, "artifacts", "models", "tiny-sft", "model.safetensors")), "train wrote no model:\n" + train.All);

        // init's tasks.json asks for 500 items a task; the one-job bench takes 4 of chain_sum, configured by init's tasks/chain_sum.json.
        File.WriteAllText(Path.Combine(project, "quick.json"), """{ "tasks": [ { "task": "chain_sum", "n": 4 } ], "defaults": { "split": "test", "seeds": [0] } }""");
        var bench = await Run(hierreason, project, "bench", "--tasks-file", "quick.json", "--models", "tiny-sft", "--threads", "1", "--batch-size", "4");
        Assert.Contains("tiny-sft", bench.Out);
        var results = Path.Combine(project, "artifacts", "benchmark_results");
        Assert.Single(Directory.GetFiles(results, "results_all_tasks_*.json"));

        await Run(hierreason, project, "verify", "artifacts/benchmark_results", "--accept");
        var verify = await Run(hierreason, project, "verify", "artifacts/benchmark_results");
        Assert.True(File.Exists(Path.Combine(results, "verification.json")), verify.All);
    }

    private async Task<ProcessRun> Run(string tool, string directory, params string[] args)
    {
        var run = await ProcessRun.Start(tool, args, directory, timeout: TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, $"hierreason {string.Join(' ', args)} exited {run.ExitCode}:\n{run.All}");
        return run;
    }

    public void Dispose() => _temp.Delete(recursive: true);
}
