using System.Diagnostics;

namespace HierReason.Tests.Shared;

/// <summary>Real named pipes for tests of readers that must refuse them (opening one for reading blocks until a writer comes).</summary>
internal static class Fifo
{
    public static string Create(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    /// <summary>
    /// Runs <paramref name="read"/> against a FIFO and waits at most <paramref name="limit"/>. A reader that blocked is
    /// released by opening the FIFO for writing and closing it (end of file), so a regression fails instead of hanging.
    /// </summary>
    public static async Task<Exception?> WithinLimit(string fifo, Action read, TimeSpan limit)
    {
        var task = Task.Run(() =>
        {
            try { read(); return null; }
            catch (Exception e) { return e; }
        });
        if (await Task.WhenAny(task, Task.Delay(limit)) == task) return await task;
        using (new FileStream(fifo, FileMode.Open, FileAccess.Write)) { }
        await task;
        throw new Xunit.Sdk.XunitException($"reading {fifo} blocked for {limit.TotalSeconds} s (a FIFO was opened)");
    }
}
