using System.Text.RegularExpressions;

namespace HierReason.Cli.Tests.Vocabulary;

/// <summary>What <c>hierreason … --help</c> prints, read back: a command's visible option spellings and its subcommands.</summary>
internal static partial class HelpText
{
    /// <summary>An option row: two spaces, the spellings (<c>-o, --output</c>), the value name, (REQUIRED), then the description.</summary>
    [GeneratedRegex(@"^  (-\S+(?:, -\S+)*)(?: <[^>]+>)?(?: \(REQUIRED\))?(?:\s{2,}|$)")]
    private static partial Regex OptionRow();

    [GeneratedRegex(@"^  ([a-z][a-z-]*)")]
    private static partial Regex CommandRow();

    /// <summary>The help of <paramref name="path"/> (e.g. <c>["perf", "serve"]</c>); fails unless it exits 0.</summary>
    public static async Task<string> Of(params string[] path)
    {
        var run = await CliRun.Of([.. path, "--help"]);
        Assert.True(run.ExitCode == 0, $"hierreason {string.Join(' ', path)} --help exited {run.ExitCode}: {run.Err}");
        Assert.Equal("", run.Err);
        return run.Out;
    }

    /// <summary>Every spelling of every option the help shows, less the help option's own.</summary>
    public static HashSet<string> Options(string help) =>
        Section(help, "Options:").Select(l => OptionRow().Match(l)).Where(m => m.Success)
            .SelectMany(m => m.Groups[1].Value.Split(", ")).Where(n => n is not ("-?" or "-h" or "--help" or "--version"))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The subcommands the help lists.</summary>
    public static IEnumerable<string> Subcommands(string help) =>
        Section(help, "Commands:").Select(l => CommandRow().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value);

    /// <summary>Every command without subcommands, as its path of words, found by walking the help from the root.</summary>
    public static async Task<List<string[]>> LeafCommands(params string[] path)
    {
        var subcommands = Subcommands(await Of(path)).ToList();
        if (subcommands.Count == 0) return [path];
        var leaves = new List<string[]>();
        foreach (var sub in subcommands) leaves.AddRange(await LeafCommands([.. path, sub]));
        return leaves;
    }

    private static IEnumerable<string> Section(string help, string title) =>
        help.Split('\n').Select(l => l.TrimEnd('\r')).SkipWhile(l => l != title).Skip(1).TakeWhile(l => l.StartsWith(' '));
}
