using System.Buffers.Binary;
using SkiaSharp;

namespace HierReason.Training.Tests.Runs;

/// <summary>What a test needs to know about a PNG file: its header size and how many pixels have a colour.</summary>
internal static class Png
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Width and height from the IHDR chunk (which must come first).</summary>
    public static (int Width, int Height) Size(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, $"{path} is too short to be a PNG");
        Assert.Equal(Signature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    /// <summary>How many pixels have (about) this colour in rows [<paramref name="fromRow"/>, <paramref name="toRow"/>).</summary>
    public static int CountColour(string path, string hex, int fromRow = 0, int toRow = int.MaxValue)
    {
        var target = SKColor.Parse(hex);
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        var count = 0;
        for (var y = Math.Max(0, fromRow); y < Math.Min(bitmap.Height, toRow); y++)
        for (var x = 0; x < bitmap.Width; x++)
        {
            var p = bitmap.GetPixel(x, y);
            if (Math.Abs(p.Red - target.Red) < 6 && Math.Abs(p.Green - target.Green) < 6 && Math.Abs(p.Blue - target.Blue) < 6) count++;
        }
        return count;
    }
}
