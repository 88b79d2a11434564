using System.Runtime.InteropServices;

namespace HierReason.Core.IO;

/// <summary>
/// Tells regular files from directories, FIFOs and devices without opening them (opening a FIFO blocks until a writer
/// comes). .NET's public file API reports a FIFO or <c>/dev/zero</c> as an ordinary empty file, so on Unix this asks
/// the runtime's own native shim (the <c>stat</c> call <see cref="FileInfo"/> itself uses).
/// </summary>
public static class FileEntries
{
    // POSIX file-type bits of st_mode, which the runtime's FileStatus.Mode carries unchanged.
    private const int TypeMask = 0xF000;
    private const int RegularType = 0x8000;
    private const int DirectoryType = 0x4000;

    public static FileEntryKind KindOf(string path)
    {
        if (path.Length == 0 || path.Contains('\0')) return FileEntryKind.Missing;
        if (!OperatingSystem.IsWindows() && UnixMode(path) is { } mode)
        {
            if (mode < 0) return FileEntryKind.Missing;
            return (mode & TypeMask) switch
            {
                RegularType => FileEntryKind.RegularFile,
                DirectoryType => FileEntryKind.Directory,
                _ => FileEntryKind.Other,
            };
        }
        if (Directory.Exists(path)) return FileEntryKind.Directory;
        if (!File.Exists(path)) return FileEntryKind.Missing;
        return (File.GetAttributes(path) & FileAttributes.Device) != 0 ? FileEntryKind.Other : FileEntryKind.RegularFile;
    }

    /// <summary>The st_mode of <paramref name="path"/> (links followed), -1 when it cannot be stat'ed (missing, dangling link), null without the shim.</summary>
    private static int? UnixMode(string path)
    {
        // FileStatus is a few dozen bytes; the spare room keeps a future field from writing past the buffer.
        var status = new byte[512];
        try
        {
            if (SystemNativeStat(path, status) != 0) return -1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        return BitConverter.ToInt32(status, 4);
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int SystemNativeStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] status);
}
