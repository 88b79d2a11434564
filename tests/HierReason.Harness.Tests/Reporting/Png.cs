using System.Buffers.Binary;
using SkiaSharp;

namespace HierReason.Harness.Tests.Reporting;

/// <summary>What a test needs to know about a PNG file: its header size and how many colours it really has.</summary>
public static class Png
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

    /// <summary>Distinct colours after decoding; a blank or single-colour image has one or two.</summary>
    public static int DistinctColours(string path)
    {
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        var colours = new HashSet<uint>();
        foreach (var pixel in bitmap.Pixels) colours.Add((uint)pixel);
        return colours.Count;
    }

    /// <summary>How many pixels have (about) this colour.</summary>
    public static int CountColour(string path, string hex)
    {
        var target = SKColor.Parse(hex);
        using var bitmap = SKBitmap.Decode(path);
        return bitmap.Pixels.Count(p => Math.Abs(p.Red - target.Red) < 6 && Math.Abs(p.Green - target.Green) < 6 && Math.Abs(p.Blue - target.Blue) < 6);
    }

    /// <summary>The pixel rows (top = 0) that hold (about) this colour in columns <paramref name="fromX"/> … <paramref name="toX"/> (all when not given).</summary>
    public static IReadOnlyList<int> Rows(string path, string hex, int fromX = 0, int toX = int.MaxValue)
    {
        using var bitmap = SKBitmap.Decode(path);
        var rows = new List<int>();
        for (var y = 0; y < bitmap.Height; y++)
            for (var x = fromX; x <= Math.Min(toX, bitmap.Width - 1); x++)
                if (Near(bitmap.GetPixel(x, y), hex))
                {
                    rows.Add(y);
                    break;
                }
        return rows;
    }

    /// <summary>The pixel columns (left = 0) that hold (about) this colour.</summary>
    public static IReadOnlyList<int> Columns(string path, string hex)
    {
        using var bitmap = SKBitmap.Decode(path);
        var columns = new List<int>();
        for (var x = 0; x < bitmap.Width; x++)
            for (var y = 0; y < bitmap.Height; y++)
                if (Near(bitmap.GetPixel(x, y), hex))
                {
                    columns.Add(x);
                    break;
                }
        return columns;
    }

    private static bool Near(SKColor p, string hex)
    {
        var target = SKColor.Parse(hex);
        return Math.Abs(p.Red - target.Red) < 6 && Math.Abs(p.Green - target.Green) < 6 && Math.Abs(p.Blue - target.Blue) < 6;
    }
}
