using System.CommandLine;
using HierReason.Cli.Hosting;
using HierReason.Core;

namespace HierReason.Cli.Commands;

/// <summary>
/// One axis of the task × model matrix in the shared vocabulary of bench, slurm and train (lm-evaluation-harness's meaning):
/// <c>--tasks</c> / <c>--models</c> are filters (comma-separated names), <c>--tasks-file</c> / <c>--models-file</c> the files.
/// Until the next release the old command lines keep working, with a deprecation warning each: <c>--tasks FILE</c> means the
/// file when its value is an existing file or ends in <c>.json</c>, and the hidden <c>--only-tasks</c> / <c>--only-models</c>
/// are the filters (separate options, so <c>--tasks tasks.json --only-tasks a</c> still parses).
/// </summary>
/// <param name="Filter"><c>--tasks</c> or <c>--models</c>.</param>
/// <param name="OldFilter">The hidden old spelling of the filter, <c>--only-tasks</c> or <c>--only-models</c>.</param>
/// <param name="File"><c>--tasks-file</c> or <c>--models-file</c>.</param>
public sealed record MatrixSelection(Option<string?> Filter, Option<string?> OldFilter, Option<string?> File)
{
    /// <summary>The options of axis <paramref name="axis"/> (<c>tasks</c> or <c>models</c>); <paramref name="defaultFile"/> null: no default file.</summary>
    public static MatrixSelection For(string axis, string filterDescription, string fileDescription, string? defaultFile) => new(
        new Option<string?>("--" + axis) { Description = filterDescription, HelpName = "names" },
        new Option<string?>("--only-" + axis) { Hidden = true },
        defaultFile is null
            ? new Option<string?>($"--{axis}-file") { Description = fileDescription, HelpName = "file" }
            : new Option<string?>($"--{axis}-file") { Description = fileDescription, DefaultValueFactory = _ => defaultFile, HelpName = "file" });

    /// <summary>
    /// The file and the names the command line gives (null file: none given and no default; null names: no filter); old
    /// spellings print their deprecation warning on <paramref name="stderr"/>.
    /// </summary>
    public (string? File, IReadOnlyList<string>? Names) Resolve(ParseResult parse, TextWriter stderr)
    {
        var file = parse.GetValue(File);
        IReadOnlyList<string>? names = null;
        if (parse.GetValue(Filter) is { } value)
        {
            if (IsFile(value))
            {
                if (parse.GetResult(File) is { Implicit: false })
                    throw new HierReasonException($"{Filter.Name} {value}: a file given as {Filter.Name} (its old meaning) and {File.Name} too; give the file once, as {File.Name}");
                stderr.WriteLine(OldSpellings.Warning($"{Filter.Name} <file>", $"{File.Name} <file> ({Filter.Name} now takes comma-separated names)"));
                file = value;
            }
            else names = Names(value);
        }
        if (parse.GetValue(OldFilter) is { } old)
        {
            stderr.WriteLine(OldSpellings.Warning(OldFilter.Name, Filter.Name));
            if (names is not null)
                throw new HierReasonException($"{OldFilter.Name} and {Filter.Name}: the same filter twice ({OldFilter.Name} is the old spelling); give {Filter.Name} once");
            names = Names(old);
        }
        return (file, names);
    }

    /// <summary>Whether a <c>--tasks</c>/<c>--models</c> value is meant as a file: it exists as one, or ends in <c>.json</c>.</summary>
    public static bool IsFile(string value) =>
        System.IO.File.Exists(value) || value.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Comma-separated names; null when the option was not given.</summary>
    public static IReadOnlyList<string>? Names(string? text) =>
        text is null ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
