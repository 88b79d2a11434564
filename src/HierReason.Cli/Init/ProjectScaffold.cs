using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.IO;

namespace HierReason.Cli.Init;

/// <summary>One file <c>hierreason init</c> writes: its path relative to the project folder (with <c>/</c>) and its text.</summary>
public sealed record ScaffoldFile(string Path, string Text);

/// <summary>
/// The files of <c>hierreason init</c>: a project the installed tool can train and benchmark in, with no clone of the
/// repository. Where the repository has the file (models.json, tasks.json, the tiny-sft experiment and its <c>_base_</c>
/// chain, the task config files tasks.json names) the text is the tool's embedded copy of it, compiled in from the
/// repository at build time so it cannot drift; models.json keeps only the models whose experiments are written here.
/// The GitHub workflow and README are the tool's own (the repository's workflow drives the Cake build instead); schemas/
/// holds the JSON Schemas the files name in <c>$schema</c>.
/// </summary>
public static class ProjectScaffold
{
    /// <summary>The experiment <c>init</c> writes, relative to the project folder.</summary>
    public const string Experiment = "tasks/experiments/tiny-sft.json";

    /// <summary>Embedded copies of repository files, written unchanged (models.json is adapted, see <see cref="Models"/>).</summary>
    private static readonly string[] Verbatim =
    [
        "tasks.json",
        "tasks/chain_sum.json",
        "tasks/basic_arithmetic.json",
        Experiment,
        "tasks/experiments/tiny.json",
        "tasks/experiments/base.json",
    ];

    /// <summary>The files, in the order they are written (<see cref="Write"/>).</summary>
    public static IReadOnlyList<ScaffoldFile> Files()
    {
        var files = new List<ScaffoldFile> { new("models.json", Models(Resource("models.json"))) };
        files.AddRange(Verbatim.Select(path => new ScaffoldFile(path, Resource(path))));
        // The JSON Schemas the files above name in "$schema" (relative paths, as in the repository), so editors check them here too.
        files.AddRange(Commands.SchemaCommand.Kinds.Keys.Select(kind => new ScaffoldFile($"schemas/{kind}.schema.json", Commands.SchemaCommand.Text(kind))));
        files.Add(new(".github/workflows/benchmark.yml", Resource("benchmark.yml")));
        files.Add(new(".gitignore", "# hierreason's outputs: trained models, runs, benchmark results.\nartifacts/\n"));
        files.Add(new("README.md", Resource("README.md")));
        return files;
    }

    /// <summary>
    /// Writes <see cref="Files"/> under <paramref name="directory"/> (created if missing), each atomically. Without
    /// <paramref name="force"/>, refuses before writing anything when any of them exists, naming every such file.
    /// Returns the full paths written.
    /// </summary>
    public static IReadOnlyList<string> Write(string directory, bool force)
    {
        if (FileEntries.KindOf(directory) is not (FileEntryKind.Missing or FileEntryKind.Directory))
            throw new HierReasonException($"{directory}: not a folder (init writes a project into a folder)");
        var files = Files().Select(f => (File: f, Full: System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, f.Path)))).ToList();
        var existing = files.Where(f => FileEntries.KindOf(f.Full) != FileEntryKind.Missing).Select(f => f.File.Path).ToList();
        if (existing.Count > 0 && !force)
            throw new HierReasonException(
                $"{directory}: {string.Join(", ", existing)} already exist{(existing.Count == 1 ? "s" : "")}; nothing was written (--force overwrites them)");
        foreach (var (file, full) in files) AtomicFile.WriteAllText(full, file.Text);
        return files.Select(f => f.Full).ToList();
    }

    /// <summary>
    /// The repository's models.json less the models this project cannot run: a model trained by an experiment
    /// <c>init</c> does not write, and any model built on such a model (a strategy's <c>"model"</c>).
    /// </summary>
    public static string Models(string repositoryModels)
    {
        var root = JsonNode.Parse(repositoryModels, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        var models = root["models"]!.AsArray();
        var dropped = models
            .Where(m => m?["train"]?.GetValue<string>() is { } train && train != Experiment)
            .Select(m => m!["name"]!.GetValue<string>())
            .ToHashSet(StringComparer.Ordinal);
        foreach (var model in models.ToList())
        {
            var name = model!["name"]!.GetValue<string>();
            var builtOn = model["strategy"] is not null ? model["model"]?.GetValue<string>() : null;
            if (dropped.Contains(name) || (builtOn is not null && dropped.Contains(builtOn))) models.Remove(model);
        }
        root["$comment"] = new JsonArray(
            "Models `hierreason bench` compares (written by `hierreason init` from the HierReason repository's models.json).",
            "\"train\" models live at artifacts/models/<experiment name>: run `hierreason train <experiment>` first.");
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string Resource(string path)
    {
        var name = "HierReason.Cli.Init." + path.Replace('/', '.');
        using var stream = typeof(ProjectScaffold).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the embedded resource {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
