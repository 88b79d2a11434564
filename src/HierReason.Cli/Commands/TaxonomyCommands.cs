using System.CommandLine;
using System.Globalization;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.Taxonomies;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason taxonomy</c>: thought-type taxonomies (seed 000) — check and show a taxonomy.json, write the shipped
/// default, import seed 000's GML and CSV artifacts. A malformed or missing file exits 2 naming it (and the JSON path).
/// </summary>
public static class TaxonomyCommands
{
    public static Command Build(IServiceProvider services)
    {
        var taxonomy = new Command("taxonomy", "Thought-type taxonomies (taxonomy.json): check, show, write the default, import seed 000's artifacts.");
        taxonomy.Subcommands.Add(Check(services));
        taxonomy.Subcommands.Add(Show(services));
        taxonomy.Subcommands.Add(Default(services));
        taxonomy.Subcommands.Add(Import(services));
        return taxonomy;
    }

    private static Argument<string> FileArgument() => new("file") { Description = "The taxonomy.json to read." };

    private static Command Check(IServiceProvider services)
    {
        var file = FileArgument();
        var command = new Command("check", "Validate a taxonomy.json; print its name, nodes per level and each level's labels. Exit 0 valid, 2 malformed (file and JSON path on stderr).") { file };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var path = parse.GetValue(file)!;
            var t = Taxonomy.Load(path);
            console.Out.WriteLine($"{path}: valid taxonomy '{t.Name}', {t.Nodes.Count} nodes, levels 0-{t.MaxLevel}");
            for (var level = 0; level <= t.MaxLevel; level++)
            {
                var nodes = t.Level(level);
                console.Out.WriteLine($"level {level} ({nodes.Count} nodes): {string.Join(", ", nodes.Select(n => n.Label))}");
            }
            return 0;
        });
        return command;
    }

    private static Command Show(IServiceProvider services)
    {
        var file = FileArgument();
        var level = new Option<int?>("--level") { Description = "Print only this level's options (labels with descriptions, then the finish choice), as the chooser sees them." };
        var command = new Command("show", "Print a taxonomy as an indented tree (label, id, example count, description), or one level's options.") { file, level };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var t = Taxonomy.Load(parse.GetValue(file)!);
            if (parse.GetValue(level) is int l)
            {
                if (l < 0 || l > t.MaxLevel)
                    throw new HierReasonException($"--level {l}: expected a level of taxonomy '{t.Name}', 0 to {t.MaxLevel}");
                foreach (var node in t.Level(l)) console.Out.WriteLine($"\"{node.Label}\": {node.Description}");
                console.Out.WriteLine($"\"{Taxonomy.FinishLabel}\": {Taxonomy.FinishDescription}");
                return 0;
            }
            console.Out.WriteLine($"{t.Name} ({t.Nodes.Count} nodes, levels 0-{t.MaxLevel})");
            foreach (var root in t.Level(0)) WriteTree(console.Out, t, root, 1);
            return 0;
        });
        return command;
    }

    private static void WriteTree(TextWriter output, Taxonomy t, ThoughtType node, int depth)
    {
        output.WriteLine($"{new string(' ', 2 * depth)}{node.Label} [{node.Id}, {node.Examples.Count.ToString(CultureInfo.InvariantCulture)} examples]: {node.Description}");
        foreach (var child in node.Children) WriteTree(output, t, t.Get(child), depth + 1);
    }

    private static Command Default(IServiceProvider services)
    {
        var output = new Option<string>("--output", "-o") { Description = "Where to write the default taxonomy (the shipped copy is tasks/taxonomy/default.json).", Required = true }.WithOldSpellings("--out");
        var command = new Command("default",
            "Write the default taxonomy: Orient / Work / Verify and conclude, Thought Anchors' 8 types under them, and our tasks' gold-trace step kinds as leaves with examples from gold traces.")
        {
            output,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var path = parse.GetValue(output)!;
            var t = DefaultTaxonomy.Build();
            t.Write(path, SchemaReference(path));
            console.Out.WriteLine($"wrote {path} ({t.Nodes.Count} nodes, levels 0-{t.MaxLevel})");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// schemas/taxonomy.schema.json relative to <paramref name="path"/>'s folder, when a folder above it holds one (a
    /// checkout: tasks/taxonomy/default.json gets "../../schemas/taxonomy.schema.json"); else none.
    /// </summary>
    private static string? SchemaReference(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            var schema = Path.Combine(dir.FullName, "schemas", "taxonomy.schema.json");
            if (File.Exists(schema)) return Path.GetRelativePath(folder, schema).Replace('\\', '/');
        }
        return null;
    }

    private static Command Import(IServiceProvider services)
    {
        var gml = new Option<string>("--gml") { Description = "Seed 000's labeled_hierarchical_tree.gml (networkx GML; edges parent -> child).", Required = true };
        var labels = new Option<string>("--labels") { Description = "Seed 000's labels_and_descriptions.csv (label, description, level, node_id).", Required = true };
        var chunks = new Option<string[]>("--chunks")
        {
            Description = "A labeled_chunks__level-L.csv (chunks, labels) to draw examples from; repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var name = new Option<string?>("--name") { Description = "The taxonomy's name (default: the GML file's name without its extension)." };
        var maxExamples = new Option<int>("--max-examples")
        {
            Description = $"Most examples kept per label (chunks of {SeedTaxonomyImporter.MinExampleWords}-{SeedTaxonomyImporter.MaxExampleWords} words, in file order).",
            DefaultValueFactory = _ => SeedTaxonomyImporter.DefaultMaxExamples,
        };
        var output = new Option<string>("--output", "-o") { Description = "The taxonomy.json to write.", Required = true }.WithOldSpellings("--out");
        var command = new Command("import", "Import seed 000's taxonomy artifacts (GML tree, labels CSV, labelled chunks) as a checked taxonomy.json.")
        {
            gml, labels, chunks, name, maxExamples, output,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var gmlPath = parse.GetValue(gml)!;
            var max = parse.GetValue(maxExamples);
            if (max < 0) throw new HierReasonException($"--max-examples {max}: expected a count ≥ 0");
            var t = SeedTaxonomyImporter.Import(parse.GetValue(name) ?? Path.GetFileNameWithoutExtension(gmlPath), gmlPath, parse.GetValue(labels)!,
                parse.GetValue(chunks) ?? [], max);
            var path = parse.GetValue(output)!;
            t.Write(path);
            console.Out.WriteLine($"wrote {path}: '{t.Name}', {t.Nodes.Count} nodes, levels 0-{t.MaxLevel}, {t.Nodes.Sum(n => n.Examples.Count)} examples");
            return 0;
        });
        return command;
    }
}
