using System.CommandLine;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.IO;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason schema &lt;kind&gt; [--output FILE]</c>: the JSON Schema (draft 2020-12) of a config file, as shipped in
/// schemas/ (embedded in the tool), so an editor can complete and check files outside a checkout.
/// </summary>
public static class SchemaCommand
{
    /// <summary>The kinds of config file with a schema, and what each is.</summary>
    public static readonly IReadOnlyDictionary<string, string> Kinds = new Dictionary<string, string>
    {
        ["models"] = "models.json (bench, train --models)",
        ["taskset"] = "tasks.json and tasks/sets/*.json (the benchmark's tasks)",
        ["task"] = "tasks/<task>.json (a task's config, levels, rewards, prompt)",
        ["experiment"] = "tasks/experiments/*.json (hierreason train)",
        ["taxonomy"] = "taxonomy.json (the taxonomy strategy's thought types)",
    };

    /// <summary>The schema of <paramref name="kind"/> as shipped (schemas/&lt;kind&gt;.schema.json).</summary>
    public static string Text(string kind)
    {
        if (!Kinds.ContainsKey(kind))
            throw new HierReasonException($"schema: unknown kind '{kind}'; expected one of {string.Join(", ", Kinds.Keys)}");
        using var stream = typeof(SchemaCommand).Assembly.GetManifestResourceStream($"schemas/{kind}.schema.json")
            ?? throw new InvalidOperationException($"the tool was built without schemas/{kind}.schema.json");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static Command Build(IServiceProvider services)
    {
        var kind = new Argument<string>("kind")
        {
            Description = "Which file's schema: " + string.Join("; ", Kinds.Select(k => $"{k.Key}: {k.Value}")) + ".",
        };
        kind.AcceptOnlyFromAmong([.. Kinds.Keys]);
        var output = new Option<string?>("--output") { Description = "Write the schema to this file (replaced whole) instead of standard output." };
        var command = new Command("schema",
            "Print the JSON Schema (draft 2020-12) of a config file; reference it from the file as \"$schema\" for editor completion and checks.")
        {
            kind, output,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var text = Text(parse.GetValue(kind)!);
            if (parse.GetValue(output) is { } path)
            {
                AtomicFile.WriteAllText(path, text);
                console.Out.WriteLine($"wrote {path}");
            }
            else
            {
                console.Out.Write(text);
            }
            return 0;
        });
        return command;
    }
}
