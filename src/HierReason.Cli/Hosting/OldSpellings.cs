using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Runtime.CompilerServices;

namespace HierReason.Cli.Hosting;

/// <summary>
/// Option spellings renamed for one vocabulary (issue 24: filters <c>--tasks</c>/<c>--models</c>, files <c>--tasks-file</c>/<c>--models-file</c>,
/// output <c>-o|--output</c>, token limit <c>--max-new-tokens</c>) and kept for one release: an old spelling is an alias of the
/// new option, so it parses as before, but <c>--help</c> leaves it out and using it prints a one-line deprecation warning on stderr.
/// </summary>
public static class OldSpellings
{
    private static readonly ConditionalWeakTable<Option, HashSet<string>> Table = new();

    /// <summary>Adds <paramref name="names"/> as hidden, deprecated aliases of <paramref name="option"/>.</summary>
    public static T WithOldSpellings<T>(this T option, params string[] names) where T : Option
    {
        var set = Table.GetOrCreateValue(option);
        foreach (var name in names)
        {
            option.Aliases.Add(name);
            set.Add(name);
        }
        return option;
    }

    /// <summary>The old spellings of <paramref name="option"/> (none for most options).</summary>
    public static IReadOnlyCollection<string> Of(Option option) => Table.TryGetValue(option, out var set) ? set : [];

    /// <summary>The deprecation warning for <paramref name="old"/>, now spelled <paramref name="current"/>.</summary>
    public static string Warning(string old, string current) =>
        $"warning: {old} is deprecated; use {current} (the old spelling will be removed in the next release)";

    /// <summary>A warning per old spelling the command line used, in the order given.</summary>
    public static IEnumerable<string> Warnings(ParseResult parse)
    {
        for (var result = (SymbolResult?)parse.CommandResult; result is not null; result = result.Parent)
        {
            if (result is not CommandResult command) continue;
            foreach (var option in command.Children.OfType<OptionResult>())
                if (option.IdentifierToken?.Value is { } used && Of(option.Option).Contains(used))
                    yield return Warning(used, option.Option.Name);
        }
    }

    /// <summary>Makes <paramref name="root"/>'s help leave out the old spellings of every option in its tree.</summary>
    public static void HideFromHelp(RootCommand root)
    {
        foreach (var option in root.Options)
            if (option is HelpOption { Action: SynchronousCommandLineAction inner } help)
                help.Action = new HelpWithoutOldSpellings(inner, root);
    }

    /// <summary>Removes the old spellings while the default help renders, then puts them back (the tree lives for one invocation).</summary>
    private sealed class HelpWithoutOldSpellings(SynchronousCommandLineAction inner, Command root) : SynchronousCommandLineAction
    {
        /// <summary>As the default help: <c>collect --help</c> shows help, not "--run is required".</summary>
        public override bool ClearsParseErrors => inner.ClearsParseErrors;

        public override int Invoke(ParseResult parseResult)
        {
            var removed = new List<(Option Option, string Name)>();
            foreach (var option in AllOptions(root))
                foreach (var name in Of(option))
                    if (option.Aliases.Remove(name)) removed.Add((option, name));
            try
            {
                return inner.Invoke(parseResult);
            }
            finally
            {
                foreach (var (option, name) in removed) option.Aliases.Add(name);
            }
        }

        private static IEnumerable<Option> AllOptions(Command command) =>
            command.Options.Concat(command.Subcommands.SelectMany(AllOptions));
    }
}
