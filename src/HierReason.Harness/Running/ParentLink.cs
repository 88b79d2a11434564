namespace HierReason.Harness.Running;

/// <summary>
/// Ties a worker's life to the orchestrator that launched it. <see cref="ProcessJobLauncher"/> sets <see cref="Variable"/>
/// and holds the write end of the worker's stdin open without writing; the worker waits on its stdin, and end-of-file
/// means the orchestrator is gone — however it ended (exit, crash, SIGKILL) the kernel closed its descriptors — so the
/// worker exits instead of running on as an orphan beside the next run's workers.
/// Why a pipe: its end-of-file arrives at once, needs no native call and no pid (which can be reused), and does not
/// depend on which thread forked the worker (PR_SET_PDEATHSIG fires when that thread exits, and in .NET it can be a
/// thread-pool thread) or on the worker being a direct child (getppid() polling). .NET creates redirection pipes
/// close-on-exec, so no other child inherits the write end and keeps it open. Workers started without the variable
/// (SLURM's <c>eval --manifest … --index</c>, or by hand) are not watched: their stdin may be a terminal or /dev/null.
/// </summary>
public static class ParentLink
{
    /// <summary>Set to <see cref="StandardInput"/> in a worker's environment: exit when stdin reaches end-of-file.</summary>
    public const string Variable = "HIERREASON_PARENT_LINK";

    public const string StandardInput = "stdin";

    /// <summary>A worker's exit status when its orchestrator is gone: 128 + SIGHUP, as for a process whose other end hung up.</summary>
    public const int OrphanedExitCode = 129;

    /// <summary>
    /// When this process was launched with the link, watches stdin on a background thread and calls
    /// <paramref name="parentGone"/> at end-of-file (or when stdin breaks); returns whether it watches.
    /// </summary>
    public static bool Watch(Action parentGone)
    {
        if (Environment.GetEnvironmentVariable(Variable) != StandardInput) return false;
        var stdin = Console.OpenStandardInput();
        var watcher = new Thread(() =>
        {
            var buffer = new byte[256];
            try
            {
                while (stdin.Read(buffer, 0, buffer.Length) > 0)
                {
                    // The orchestrator writes nothing; anything that arrives is ignored.
                }
            }
            catch (IOException)
            {
                // A broken stdin is the same news.
            }
            parentGone();
        })
        {
            IsBackground = true,
            Name = "parent link",
        };
        watcher.Start();
        return true;
    }
}
