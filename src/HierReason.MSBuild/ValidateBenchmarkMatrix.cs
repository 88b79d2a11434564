using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Harness.Config;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace HierReason.MSBuild;

/// <summary>
/// Checks a benchmark matrix at build time: models.json with the harness's <see cref="ModelsFile"/> and tasks.json with
/// <see cref="TaskSetFile"/>, the same validation <c>hierreason bench</c> runs. Each problem is an MSBuild error carrying
/// the file, line and column of the offending JSON element, so IDEs and CI logs point at it.
/// </summary>
public sealed class ValidateBenchmarkMatrix : Microsoft.Build.Utilities.Task
{
    public const string ErrorCode = "HR1001";

    /// <summary>models.json to check (optional).</summary>
    public string? ModelsFile { get; set; }

    /// <summary>tasks.json to check (optional).</summary>
    public string? TasksFile { get; set; }

    /// <summary>Folder of task config files (&lt;task&gt;.json) the task set overlays; default: tasks/ beside tasks.json.</summary>
    public string? TaskConfigs { get; set; }

    /// <summary>Skip a named file that does not exist instead of failing (what the on-build target does).</summary>
    public bool SkipMissingFiles { get; set; }

    /// <summary>Models the file declares (names), for targets that want them.</summary>
    [Output]
    public string[] Models { get; private set; } = [];

    /// <summary>Task names of the task set, in order.</summary>
    [Output]
    public string[] Tasks { get; private set; } = [];

    public override bool Execute()
    {
        if (string.IsNullOrWhiteSpace(ModelsFile) && string.IsNullOrWhiteSpace(TasksFile))
        {
            Log.LogError(null, ErrorCode, null, null, 0, 0, 0, 0, "ValidateBenchmarkMatrix: set ModelsFile, TasksFile or both");
            return false;
        }
        if (Present(ModelsFile))
            Check(ModelsFile!, () => Models = [.. HierReason.Harness.Config.ModelsFile.Load(ModelsFile!).Models.Select(m => m.Name)]);
        if (Present(TasksFile))
            Check(TasksFile!, () =>
            {
                // A folder the build names must exist: a typo would otherwise drop every custom level silently.
                if (!string.IsNullOrWhiteSpace(TaskConfigs)) TaskConfigFile.RequireDirectory(TaskConfigs, "TaskConfigs");
                Tasks = [.. TaskSetFile.Load(TasksFile!, string.IsNullOrWhiteSpace(TaskConfigs) ? null : TaskConfigs).Entries.Select(e => e.Task.Name)];
            });
        if (!Log.HasLoggedErrors)
            Log.LogMessage(MessageImportance.Normal, $"HierReason: benchmark matrix OK ({Models.Length} models, {Tasks.Length} task entries)");
        return !Log.HasLoggedErrors;
    }

    private bool Present(string? file) => !string.IsNullOrWhiteSpace(file) && !(SkipMissingFiles && !File.Exists(file));

    private void Check(string file, Action load)
    {
        try
        {
            load();
        }
        catch (ConfigException e)
        {
            var errorFile = e.File ?? file;
            var at = File.Exists(errorFile) ? JsonPositions.Of(File.ReadAllBytes(errorFile)).Locate(e.JsonPath) : new TextPosition(0, 0);
            Log.LogError(null, ErrorCode, null, Path.GetFullPath(errorFile), at.Line, at.Column, 0, 0, WithoutFilePrefix(e.Message, e.File));
        }
        catch (HierReasonException e)
        {
            Log.LogError(null, ErrorCode, null, Path.GetFullPath(file), 0, 0, 0, 0, e.Message);
        }
    }

    /// <summary>MSBuild already prints "file(line,col):", so the message drops its own "file: " prefix.</summary>
    private static string WithoutFilePrefix(string message, string? file) =>
        file is not null && message.StartsWith(file + ": ", StringComparison.Ordinal) ? message[(file.Length + 2)..] : message;
}
