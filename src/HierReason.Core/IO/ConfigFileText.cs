using System.Globalization;
using System.Text;

namespace HierReason.Core.IO;

/// <summary>
/// The one way a user's config file (models.json, tasks.json, tasks/&lt;task&gt;.json, experiments and their bases, …)
/// is read: a regular file only (never a FIFO that blocks or a device that never ends), at most <see cref="MaxBytes"/>,
/// decoded strictly as UTF-8 (an invalid byte is an error naming its offset, never a silent U+FFFD).
/// </summary>
public static class ConfigFileText
{
    /// <summary>The largest config file read (16 MiB: real ones are kilobytes).</summary>
    public const int MaxBytes = 16 << 20;

    /// <summary>The longest string a config may hold (a path, a name, a stop string).</summary>
    public const int MaxStringLength = 4096;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The text of <paramref name="path"/>; every refusal is a <see cref="HierReasonException"/> naming the file as
    /// <paramref name="shownAs"/> (default: the path itself).
    /// </summary>
    public static string Read(string path, string? shownAs = null, int maxBytes = MaxBytes)
    {
        var name = shownAs ?? path;
        switch (FileEntries.KindOf(path))
        {
            case FileEntryKind.Missing: throw new HierReasonException($"{name}: no such file");
            case FileEntryKind.Directory: throw new HierReasonException($"{name}: expected a regular file; found a directory");
            case FileEntryKind.Other: throw new HierReasonException($"{name}: expected a regular file; found a FIFO, device or socket");
        }
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            if (stream.Length > maxBytes) throw TooLarge(name, $"{stream.Length} bytes", maxBytes);
            // Read at most one byte past the limit: a file that grows while read is still cut off.
            var buffer = new byte[Math.Min(stream.Length, maxBytes) + 1];
            var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (length > maxBytes) throw TooLarge(name, $"more than {maxBytes} bytes (it grew while read)", maxBytes);
            bytes = buffer[..length];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HierReasonException($"{name}: cannot read the file ({e.Message})", e);
        }
        return Decode(bytes, name);
    }

    /// <summary>Strict UTF-8 (a leading byte-order mark is dropped, as editors write one).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string file)
    {
        var start = bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        try
        {
            return StrictUtf8.GetString(bytes[start..]);
        }
        catch (DecoderFallbackException e)
        {
            var offset = start + Math.Max(0, e.Index);
            throw new HierReasonException(string.Create(CultureInfo.InvariantCulture,
                $"{file}: not valid UTF-8: byte 0x{bytes[offset]:X2} at byte offset {offset}"), e);
        }
    }

    private static HierReasonException TooLarge(string path, string found, int maxBytes) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{path}: expected a config file of at most {maxBytes} bytes ({maxBytes >> 20} MiB); found {found}"));
}
