using System.IO.Compression;

namespace HierReason.Ecosystem.Tests.Tool;

/// <summary>
/// The global tool end to end: <c>dotnet pack</c> the CLI, install the package from that local folder into a
/// temporary tool path, and run the installed <c>hierreason</c>: help, tasks, a tiny model, and a one-job benchmark.
/// Packing ≈ 1 GB of libtorch takes a minute or two: the test carries its own category ("Tool"), which the default run includes.
/// </summary>
[Trait("Category", "Tool")]
public sealed class GlobalToolTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("hr-tool-");

    [Fact]
    public async Task The_packed_tool_installs_from_a_local_folder_and_runs_tasks_and_a_tiny_model()
    {
        var packages = Path.Combine(_temp.FullName, "packages");
        // The tool's publish folder (≈ 1 GB of libtorch) goes to the temp folder too, and is deleted with it.
        var publish = Path.Combine(_temp.FullName, "publish") + Path.DirectorySeparatorChar;
        var pack = await ProcessRun.Start("dotnet", ["pack", RepoPaths.Combine("src", "HierReason.Cli"), "-c", "Release", "-o", packages, $"-p:PublishDir={publish}"],
            RepoPaths.Root, timeout: TimeSpan.FromMinutes(15));
        Assert.True(pack.ExitCode == 0, "dotnet pack failed:\n" + pack.All);
        var nupkg = Assert.Single(Directory.GetFiles(packages, "HierReason.*.nupkg"));
        var version = Path.GetFileNameWithoutExtension(nupkg)["HierReason.".Length..];

        using (var zip = ZipFile.OpenRead(nupkg))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            // A tool package: the command name and its entry point, plus TorchSharp-cpu's native libtorch for Linux.
            Assert.Contains("tools/net10.0/any/DotnetToolSettings.xml", entries);
            Assert.Contains("tools/net10.0/any/hierreason.dll", entries);
            Assert.Contains("tools/net10.0/any/runtimes/linux-x64/native/libLibTorchSharp.so", entries);
            Assert.Contains("tools/net10.0/any/runtimes/linux-x64/native/libtorch_cpu.so", entries);
            using var settings = new StreamReader(zip.GetEntry("tools/net10.0/any/DotnetToolSettings.xml")!.Open());
            Assert.Contains("Command Name=\"hierreason\"", await settings.ReadToEndAsync());
        }

        var toolPath = Path.Combine(_temp.FullName, "tools");
        var install = await ProcessRun.Start("dotnet",
            ["tool", "install", "HierReason", "--tool-path", toolPath, "--add-source", packages, "--version", version],
            _temp.FullName, timeout: TimeSpan.FromMinutes(10));
        Assert.True(install.ExitCode == 0, "dotnet tool install failed:\n" + install.All);
        Assert.Contains($"Tool 'hierreason' (version '{version}') was successfully installed", install.Out);
        var hierreason = Path.Combine(toolPath, "hierreason");

        var help = await Run(hierreason, "--help");
        Assert.Contains("Usage:", help.Out);
        Assert.Contains("publish", help.Out);

        var tasks = await Run(hierreason, "tasks", "list");
        Assert.Contains("leg_counting", tasks.Out);

        var model = Path.Combine(_temp.FullName, "tiny");
        var init = await Run(hierreason, "model", "init", "--output", model, "--seed", "1", "--threads", "1");
        Assert.Contains("tiny model (", init.Out);
        Assert.True(File.Exists(Path.Combine(model, "model.safetensors")));

        // libtorch loads from the installed package and samples.
        var generate = await Run(hierreason, "generate", "--model", model, "--prompt", "12+7=", "--n", "1",
            "--max-new-tokens", "6", "--temperature", "0", "--threads", "1", "--json");
        Assert.Contains("\"completions\"", generate.Out);
        Assert.Contains("\"finish_reason\"", generate.Out);

        // A one-job benchmark: the installed tool orchestrates, launches itself as the worker, aggregates and charts.
        File.WriteAllText(Path.Combine(_temp.FullName, "models.json"), """{ "models": [ { "name": "tiny", "backend": "local", "path": "tiny" } ] }""");
        File.WriteAllText(Path.Combine(_temp.FullName, "tasks.json"), """{ "tasks": [ { "task": "chain_sum", "n": 4, "level": 0 } ], "defaults": { "split": "test", "seeds": [0] } }""");
        var bench = await Run(hierreason, "bench", "--models-file", "models.json", "--tasks-file", "tasks.json", "--output", "results", "--runs", "runs",
            "--threads", "1", "--batch-size", "4");
        Assert.Contains("chain_sum", bench.Out);
        var results = Path.Combine(_temp.FullName, "results");
        var summary = Assert.Single(Directory.GetFiles(results, "results_all_tasks_*.json"));
        Assert.Contains("\"n\": 4", File.ReadAllText(summary));
        Assert.Single(Directory.GetFiles(results, "summary_all_tasks_*.png"));
        Assert.True(File.Exists(Path.Combine(results, "summary.md")));
    }

    private async Task<ProcessRun> Run(string tool, params string[] args)
    {
        var run = await ProcessRun.Start(tool, args, _temp.FullName, timeout: TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, $"hierreason {string.Join(' ', args)} exited {run.ExitCode}:\n{run.All}");
        return run;
    }

    public void Dispose() => _temp.Delete(recursive: true);
}
