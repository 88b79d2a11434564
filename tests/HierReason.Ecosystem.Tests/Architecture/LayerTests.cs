using System.Xml.Linq;

namespace HierReason.Ecosystem.Tests.Architecture;

/// <summary>
/// The layers of DESIGN.md, read from the project files: dependencies point downwards only, and the processes that must
/// not load libtorch (the harness orchestrator, the MSBuild tasks) cannot reach TorchSharp even transitively.
/// </summary>
public class LayerTests
{
    /// <summary>What each project may reference among ours (directly); edges (Cli) may reference anything.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["HierReason.Core"] = [],
        ["HierReason.Engine"] = [],
        ["HierReason.Backends"] = ["HierReason.Core", "HierReason.Engine"],
        ["HierReason.Training"] = ["HierReason.Core", "HierReason.Engine"],
        ["HierReason.Reasoning"] = ["HierReason.Core", "HierReason.Engine", "HierReason.Training", "HierReason.Backends", "HierReason.Retrieval"],
        ["HierReason.Harness"] = ["HierReason.Core"],
        ["HierReason.Retrieval"] = ["HierReason.Core"],
        ["HierReason.MSBuild"] = ["HierReason.Core", "HierReason.Harness"],
    };

    // Retrieval runs in the orchestrator and as a standalone server (retrieve serve): no libtorch there either.
    private static readonly string[] NoTorch = ["HierReason.Core", "HierReason.Harness", "HierReason.MSBuild", "HierReason.Retrieval"];

    private static IReadOnlyDictionary<string, (string[] Projects, string[] Packages)> Projects() =>
        Directory.GetDirectories(RepoPaths.Combine("src"))
            .Select(dir => Path.Combine(dir, Path.GetFileName(dir) + ".csproj"))
            .Where(File.Exists)
            .ToDictionary(
                path => Path.GetFileNameWithoutExtension(path),
                path =>
                {
                    var xml = XDocument.Load(path);
                    var projects = xml.Descendants("ProjectReference").Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/'))).ToArray();
                    var packages = xml.Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value).ToArray();
                    return (projects, packages);
                },
                StringComparer.Ordinal);

    [Fact]
    public void Every_source_project_is_a_known_layer_or_the_cli_edge()
    {
        var unknown = Projects().Keys.Where(p => !Allowed.ContainsKey(p) && p != "HierReason.Cli").ToArray();
        Assert.True(unknown.Length == 0, $"projects without a layer rule: {string.Join(", ", unknown)} (add them to DESIGN.md's table and here)");
    }

    [Fact]
    public void Project_references_point_down_the_layers()
    {
        var projects = Projects();
        var violations = projects
            .Where(p => Allowed.ContainsKey(p.Key))
            .SelectMany(p => p.Value.Projects.Where(r => !Allowed[p.Key].Contains(r)).Select(r => $"{p.Key} → {r}"))
            .ToArray();
        Assert.True(violations.Length == 0, "references that break the layers: " + string.Join("; ", violations));
        Assert.DoesNotContain("HierReason.Backends", projects["HierReason.Training"].Projects);
        Assert.DoesNotContain("HierReason.Harness", projects["HierReason.Training"].Projects);
    }

    [Fact]
    public void The_orchestrator_and_the_msbuild_tasks_never_reach_torchsharp()
    {
        var projects = Projects();
        foreach (var root in NoTorch)
        {
            var reached = Closure(projects, root);
            var torch = reached.SelectMany(p => projects[p].Packages).Where(pkg => pkg.StartsWith("TorchSharp", StringComparison.Ordinal)).ToArray();
            Assert.True(torch.Length == 0, $"{root} reaches TorchSharp through {string.Join(", ", reached)}");
        }
        // The rule can fail: the engine does reference TorchSharp.
        Assert.Contains(projects["HierReason.Engine"].Packages, p => p.StartsWith("TorchSharp", StringComparison.Ordinal));
    }

    private static HashSet<string> Closure(IReadOnlyDictionary<string, (string[] Projects, string[] Packages)> projects, string root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { root };
        var stack = new Stack<string>([root]);
        while (stack.Count > 0)
            foreach (var next in projects[stack.Pop()].Projects)
                if (seen.Add(next)) stack.Push(next);
        return seen;
    }
}
