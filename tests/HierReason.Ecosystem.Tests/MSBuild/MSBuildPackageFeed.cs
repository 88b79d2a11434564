namespace HierReason.Ecosystem.Tests.MSBuild;

/// <summary>
/// Packs HierReason.MSBuild (already built with this test project's configuration) into a local folder feed, with a
/// NuGet.config that reads only that feed into a private packages folder, so consumers restore exactly this build.
/// </summary>
public sealed class MSBuildPackageFeed : IDisposable
{
    public const string Version = "0.1.0";

    public MSBuildPackageFeed()
    {
        Root = Directory.CreateTempSubdirectory("hr-msbuild-").FullName;
        var feed = Path.Combine(Root, "feed");
        var pack = ProcessRun.Start("dotnet",
            ["pack", RepoPaths.Combine("src", "HierReason.MSBuild", "HierReason.MSBuild.csproj"), "-c", Configuration, "--no-build", "-o", feed],
            RepoPaths.Root, timeout: TimeSpan.FromMinutes(5)).GetAwaiter().GetResult();
        if (pack.ExitCode != 0) throw new InvalidOperationException("dotnet pack HierReason.MSBuild failed:\n" + pack.All);
        Package = Path.Combine(feed, $"HierReason.MSBuild.{Version}.nupkg");
        File.WriteAllText(Path.Combine(Root, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(Root, "packages")}" /></config>
              <packageSources><clear /><add key="local" value="{feed}" /></packageSources>
            </configuration>
            """);
    }

    /// <summary>Debug or Release: the configuration this test assembly (and so the projects it references) was built in.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The built CLI, for RunBenchmark.</summary>
    public static string HierreasonDll { get; } = RepoPaths.Combine("src", "HierReason.Cli", "bin", Configuration, "net10.0", "hierreason.dll");

    public string Root { get; }
    public string Package { get; }

    /// <summary>A consumer project folder under the feed's root (so it picks up its NuGet.config).</summary>
    public string NewConsumer(string name, string projectXml, IReadOnlyDictionary<string, string> files)
    {
        var dir = Path.Combine(Root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Consumer.csproj"), projectXml);
        foreach (var (file, text) in files) File.WriteAllText(Path.Combine(dir, file), text);
        return dir;
    }

    public static Task<ProcessRun> Build(string consumer) =>
        ProcessRun.Start("dotnet", ["build", "-tl:off", "-nologo", "-v:n", $"-p:HierReasonCli={HierreasonDll}"], consumer,
            env: new Dictionary<string, string?> { ["MSBUILDDISABLENODEREUSE"] = "1" }, timeout: TimeSpan.FromMinutes(5));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
