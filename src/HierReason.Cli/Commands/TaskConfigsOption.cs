using System.CommandLine;
using HierReason.Core.Configs;
using HierReason.Core.IO;

namespace HierReason.Cli.Commands;

/// <summary>
/// The folder of <c>&lt;task&gt;.json</c> files a command overlays (<c>--task-configs</c>). A folder the
/// user names must exist, or every custom level would silently fall back to the code's defaults; the default <c>tasks</c>
/// may be absent (then the code's defaults apply), but never something other than a folder.
/// </summary>
public static class TaskConfigsOption
{
    public static string Directory(ParseResult parse, Option<string> option)
    {
        var directory = parse.GetValue(option)!;
        if (parse.GetResult(option) is { Implicit: false } || FileEntries.KindOf(directory) != FileEntryKind.Missing)
            TaskConfigFile.RequireDirectory(directory, option.Name);
        return directory;
    }
}
