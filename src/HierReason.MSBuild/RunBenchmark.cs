using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace HierReason.MSBuild;

/// <summary>
/// Runs <c>hierreason bench</c> from a consumer's target, like Exec: the tool's output goes to the build log and a
/// non-zero exit fails the build. <see cref="Tool"/> is the installed <c>hierreason</c> command (default, from PATH),
/// a path to it, or a path to <c>hierreason.dll</c> (run with the current dotnet host).
/// </summary>
public sealed class RunBenchmark : ToolTask
{
    /// <summary>The hierreason executable, or hierreason.dll; default "hierreason" from PATH.</summary>
    public string Tool { get; set; } = "hierreason";

    /// <summary>The models file (bench's --models-file).</summary>
    public string? ModelsFile { get; set; }

    /// <summary>The task set file (bench's --tasks-file).</summary>
    public string? TasksFile { get; set; }

    /// <summary>Results folder (bench's --output).</summary>
    public string? OutputDirectory { get; set; }

    /// <summary>Comma-separated task names to run (bench's --tasks filter).</summary>
    public string? Tasks { get; set; }

    /// <summary>Comma-separated model names to run (bench's --models filter).</summary>
    public string? Models { get; set; }

    /// <summary>Deprecated spelling of <see cref="Tasks"/> (kept for one release; a warning names the new one).</summary>
    public string? OnlyTasks { get; set; }

    /// <summary>Deprecated spelling of <see cref="Models"/> (kept for one release; a warning names the new one).</summary>
    public string? OnlyModels { get; set; }

    /// <summary>GPU indices, e.g. 0,1 (bench's --gpus).</summary>
    public string? Gpus { get; set; }

    /// <summary>Print the expanded jobs and run nothing (bench's --dry-run).</summary>
    public bool DryRun { get; set; }

    /// <summary>Further arguments, passed as written after the ones above.</summary>
    public string? Arguments { get; set; }

    private bool RunsDll => Tool.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    protected override string ToolName => RunsDll ? (OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet") : Path.GetFileName(Tool);

    // Tool output is information, not warnings: bench prints progress on stderr.
    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.High;
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;

    protected override string GenerateFullPathToTool()
    {
        if (RunsDll)
            return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : ToolName;
        return Tool.Contains(Path.DirectorySeparatorChar) || Tool.Contains(Path.AltDirectorySeparatorChar) ? Path.GetFullPath(Tool) : Tool;
    }

    protected override string GenerateCommandLineCommands()
    {
        var b = new CommandLineBuilder();
        if (RunsDll) b.AppendFileNameIfNotNull(Path.GetFullPath(Tool));
        b.AppendTextUnquoted(" bench");
        Option(b, "--models-file", ModelsFile);
        Option(b, "--tasks-file", TasksFile);
        Option(b, "--output", OutputDirectory);
        Option(b, "--tasks", Filter(nameof(Tasks), Tasks, nameof(OnlyTasks), OnlyTasks));
        Option(b, "--models", Filter(nameof(Models), Models, nameof(OnlyModels), OnlyModels));
        Option(b, "--gpus", Gpus);
        if (DryRun) b.AppendSwitch("--dry-run");
        if (!string.IsNullOrWhiteSpace(Arguments)) b.AppendTextUnquoted(" " + Arguments);
        return b.ToString();
    }

    /// <summary>The filter <paramref name="value"/>, or its deprecated spelling's value with a warning.</summary>
    private string? Filter(string name, string? value, string oldName, string? oldValue)
    {
        if (string.IsNullOrWhiteSpace(oldValue)) return value;
        Log.LogWarning(null, "HR1003", null, null, 0, 0, 0, 0,
            $"RunBenchmark: {oldName} is deprecated; use {name} (the old spelling will be removed in the next release)");
        return string.IsNullOrWhiteSpace(value) ? oldValue : value;
    }

    private static void Option(CommandLineBuilder b, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value)) b.AppendSwitchIfNotNull(name + " ", value);
    }

    protected override bool HandleTaskExecutionErrors()
    {
        Log.LogError(null, "HR1002", null, null, 0, 0, 0, 0,
            $"RunBenchmark: hierreason bench exited with code {ExitCode} (see its output above)");
        return false;
    }
}
