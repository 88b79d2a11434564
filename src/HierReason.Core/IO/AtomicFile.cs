using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace HierReason.Core.IO;

/// <summary>
/// Writes files so that a reader sees the old content or the new, never half of one: a temp file of this process
/// (<c>.&lt;name&gt;.&lt;pid&gt;.&lt;random&gt;.tmp</c> beside the target), then a rename. Two processes writing the same
/// file never share a temp file, and the last complete write wins. Temp files a dead process left behind are
/// found by the pid in their name (<see cref="DeleteAbandoned"/>).
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string contents) => Write(path, writer => writer.Write(contents));

    public static void WriteAllBytes(string path, byte[] bytes) => Replace(path, temp => File.WriteAllBytes(temp, bytes));

    /// <summary>Writes the file through <paramref name="write"/> (UTF-8, no byte-order mark), atomically.</summary>
    public static void Write(string path, Action<TextWriter> write) => Replace(path, temp =>
    {
        using var writer = new StreamWriter(temp, append: false, new UTF8Encoding(false));
        write(writer);
    });

    /// <summary>Copies <paramref name="source"/> over <paramref name="destination"/>, atomically.</summary>
    public static void Copy(string source, string destination) => Replace(destination, temp => File.Copy(source, temp));

    private static void Replace(string path, Action<string> fillTemp)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full) ?? ".");
        // The temp file sits beside the target so the rename stays on one file system.
        var temp = TempPathFor(full);
        try
        {
            fillTemp(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>A temp name for <paramref name="path"/> that only this process uses.</summary>
    public static string TempPathFor(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>The pid that owns a temp file named by <see cref="TempPathFor"/>; null for any other name.</summary>
    public static int? OwnerOf(string tempPath)
    {
        var parts = Path.GetFileName(tempPath).Split('.');
        // "", name parts…, pid, random, "tmp"
        return parts.Length >= 5 && parts[0].Length == 0 && parts[^1] == "tmp" && parts[^2].Length == 32
               && int.TryParse(parts[^3], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    /// <summary>
    /// Deletes the <c>*.tmp</c> files in <paramref name="directory"/> that no live process owns: those whose pid is not
    /// running on this machine, and those whose name carries no owner (older versions' fixed names); returns how many.
    /// </summary>
    public static int DeleteAbandoned(string directory)
    {
        if (!Directory.Exists(directory)) return 0;
        var deleted = 0;
        foreach (var temp in Directory.EnumerateFiles(directory, "*.tmp"))
        {
            if (OwnerOf(temp) is { } pid && IsRunning(pid)) continue;
            try
            {
                File.Delete(temp);
                deleted++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another cleaner got there first, or the file is not ours to delete: leave it.
            }
        }
        return deleted;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
