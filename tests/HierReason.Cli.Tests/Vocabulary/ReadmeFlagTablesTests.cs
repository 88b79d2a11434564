using System.Text.RegularExpressions;

namespace HierReason.Cli.Tests.Vocabulary;

/// <summary>
/// The README's flag tables (a <c>&lt;!-- flags: command --&gt;</c> line, then a markdown table whose first column holds the
/// flags in backticks) match what each command's <c>--help</c> shows, and the Cake table matches <c>build/*.cake</c>'s arguments.
/// </summary>
public sealed partial class ReadmeFlagTablesTests
{
    [GeneratedRegex(@"^<!-- flags: (.+) -->$")]
    private static partial Regex Marker();

    [GeneratedRegex("`(-[^`]+)`")]
    private static partial Regex Flag();

    [GeneratedRegex(@"\b(?:Has)?Argument(?:<[^>]+>)?\(\s*""([^""]+)""")]
    private static partial Regex CakeArgument();

    private static string Root => Checkout.Root;

    /// <summary>The README's tables: command (or "cake") → the flags of its first column.</summary>
    internal static Dictionary<string, HashSet<string>> Tables(string markdown)
    {
        var tables = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            if (Marker().Match(lines[i]) is not { Success: true } marker) continue;
            var name = marker.Groups[1].Value;
            Assert.True(tables.TryAdd(name, new HashSet<string>(StringComparer.Ordinal)), $"README: two flag tables for '{name}'");
            Assert.True(i + 2 < lines.Count && lines[i + 1].StartsWith("| Flag |", StringComparison.Ordinal) && lines[i + 2].StartsWith("|---", StringComparison.Ordinal),
                $"README line {i + 2}: expected a '| Flag | Default | Meaning |' table header after the marker for '{name}'");
            for (var j = i + 3; j < lines.Count && lines[j].StartsWith('|'); j++)
            {
                var first = lines[j].Split(" | ")[0];
                var flags = Flag().Matches(first).Select(m => m.Groups[1].Value).ToList();
                Assert.True(flags.Count > 0, $"README line {j + 1}: the first column names no flag in backticks: {lines[j]}");
                foreach (var flag in flags) Assert.True(tables[name].Add(flag), $"README: '{flag}' twice in the table for '{name}'");
            }
        }
        return tables;
    }

    private static Dictionary<string, HashSet<string>> ReadmeTables() => Tables(File.ReadAllText(Path.Combine(Root, "README.md")));

    [Fact]
    public async Task Every_flag_table_lists_exactly_the_visible_options_of_its_commands_help()
    {
        var tables = ReadmeTables();
        // The matrix commands at least; a README without tables must not pass.
        foreach (var command in new[] { "bench", "slurm", "train", "collect", "eval", "report", "verify", "model init", "perf serve", "dpo train", "tasks sample" })
            Assert.True(tables.ContainsKey(command), $"README: no flag table for '{command}'");
        var problems = new List<string>();
        foreach (var (command, flags) in tables.Where(t => t.Key != "cake"))
        {
            var help = HelpText.Options(await HelpText.Of(command.Split(' ')));
            problems.AddRange(flags.Except(help).Select(f => $"{command}: README lists {f}, which --help does not show"));
            problems.AddRange(help.Except(flags).Select(f => $"{command}: --help shows {f}, which the README's table lacks"));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Every_leaf_command_with_a_flag_table_is_a_real_command()
    {
        var leaves = (await HelpText.LeafCommands()).Select(p => string.Join(' ', p)).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("perf serve", leaves);
        foreach (var command in ReadmeTables().Keys.Where(k => k != "cake"))
            Assert.True(leaves.Contains(command), $"README has a flag table for '{command}', which is not a hierreason command");
    }

    [Fact]
    public void The_cake_table_lists_exactly_the_arguments_build_cake_reads()
    {
        var files = Directory.GetFiles(Path.Combine(Root, "build"), "*.cake").Append(Path.Combine(Root, "build.cake")).ToList();
        var read = files.SelectMany(f => CakeArgument().Matches(File.ReadAllText(f)).Select(m => "--" + m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("--tasks-file", read);
        Assert.Contains("--process-items", read);
        var table = ReadmeTables()["cake"];
        Assert.Empty(read.Except(table).Select(a => $"build/*.cake reads {a}, which the README's Cake table lacks"));
        Assert.Empty(table.Except(read).Select(a => $"the README's Cake table lists {a}, which build/*.cake does not read"));
    }

    [Fact]
    public void A_table_row_without_a_flag_or_a_repeated_marker_is_reported()
    {
        var ok = Tables("<!-- flags: x -->\n| Flag | Default | Meaning |\n|---|---|---|\n| `-o`, `--output` | | out |\n| `--n` | `5` | n \\| m |\n\ntext");
        Assert.Equal(["--n", "--output", "-o"], ok["x"].Order(StringComparer.Ordinal));
        Assert.ThrowsAny<Exception>(() => Tables("<!-- flags: x -->\n| Flag | Default | Meaning |\n|---|---|---|\n| output | | out |"));
        Assert.ThrowsAny<Exception>(() => Tables("<!-- flags: x -->\n| Flag | Default | Meaning |\n|---|---|---|\n\n<!-- flags: x -->\n| Flag | Default | Meaning |\n|---|---|---|"));
    }
}
