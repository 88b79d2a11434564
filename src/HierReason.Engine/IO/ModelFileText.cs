using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace HierReason.Engine.IO;

/// <summary>
/// How the engine reads the text files of a model folder (config.json, the tokenizer files, adapter_config.json, the
/// shard index): regular files only (a FIFO would block, <c>/dev/zero</c> never ends), size-limited, strict UTF-8
/// (an invalid byte is an error naming its offset). Core has the same rules for user configs; the engine cannot see Core.
/// </summary>
public static class ModelFileText
{
    /// <summary>The largest small JSON file of a model folder (config.json, tokenizer_config.json, indexes): 16 MiB.</summary>
    public const int MaxConfigBytes = 16 << 20;

    /// <summary>The largest tokenizer file (tokenizer.json, vocab.json, merges.txt): 128 MiB; real ones are up to ~35 MB.</summary>
    public const int MaxTokenizerBytes = 128 << 20;

    // POSIX file-type bits of st_mode, which the runtime's FileStatus.Mode carries unchanged.
    private const int TypeMask = 0xF000;
    private const int RegularType = 0x8000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Whether <paramref name="path"/> names something at all (a file, folder, FIFO, device); links are followed.</summary>
    public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    /// <summary>The text of <paramref name="path"/>, or an <see cref="EngineException"/> naming it.</summary>
    public static string Read(string path, int maxBytes = MaxConfigBytes)
    {
        if (Directory.Exists(path)) throw new EngineException($"{path}: expected a regular file; found a directory");
        if (!File.Exists(path)) throw new EngineException($"{path}: no such file");
        if (!IsRegularFile(path)) throw new EngineException($"{path}: expected a regular file; found a FIFO, device or socket");
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            if (stream.Length > maxBytes)
                throw new EngineException(string.Create(CultureInfo.InvariantCulture, $"{path}: expected at most {maxBytes} bytes; found {stream.Length}"));
            // One byte past the limit is enough to see that a file grew past it while being read.
            var buffer = new byte[stream.Length + 1];
            var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (length > stream.Length)
                throw new EngineException($"{path}: the file grew while being read");
            bytes = buffer[..length];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EngineException($"{path}: cannot read the file ({e.Message})", e);
        }
        var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        try
        {
            return StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            var offset = start + Math.Max(0, e.Index);
            throw new EngineException(string.Create(CultureInfo.InvariantCulture, $"{path}: not valid UTF-8: byte 0x{bytes[offset]:X2} at byte offset {offset}"), e);
        }
    }

    /// <summary>Whether <paramref name="path"/> is a regular file (or a link to one), decided without opening it.</summary>
    public static bool IsRegularFile(string path)
    {
        if (OperatingSystem.IsWindows())
            return File.Exists(path) && (File.GetAttributes(path) & FileAttributes.Device) == 0;
        // .NET's public API shows a FIFO or a device as an empty file, so ask the runtime's native stat shim.
        var status = new byte[512];
        try
        {
            if (SystemNativeStat(path, status) != 0) return false;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return File.Exists(path);
        }
        return (BitConverter.ToInt32(status, 4) & TypeMask) == RegularType;
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int SystemNativeStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] status);
}
