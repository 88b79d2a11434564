using System.Globalization;

namespace HierReason.Training.Checkpoints;

/// <summary>
/// The <c>checkpoint-&lt;step&gt;</c> folders of a run: each is written complete into <c>checkpoint-&lt;step&gt;.tmp</c> and only
/// then renamed, so a crash or a failed write never leaves a half checkpoint that resume would pick; the newest
/// <see cref="KeepLast"/> are kept.
/// </summary>
public sealed class CheckpointStore(string directory, int keepLast)
{
    public const string Prefix = "checkpoint-";
    private const string TempSuffix = ".tmp";

    public string Directory { get; } = directory;
    public int KeepLast { get; } = keepLast >= 1 ? keepLast : throw new ArgumentOutOfRangeException(nameof(keepLast));

    /// <summary>Writes checkpoint <paramref name="step"/> with <paramref name="write"/> (given the folder to fill) and prunes old ones; returns its folder.</summary>
    public string Save(int step, Action<string> write)
    {
        var final = PathFor(step);
        var temp = final + TempSuffix;
        System.IO.Directory.CreateDirectory(Directory);
        if (System.IO.Directory.Exists(temp)) System.IO.Directory.Delete(temp, recursive: true);
        System.IO.Directory.CreateDirectory(temp);
        try
        {
            write(temp);
        }
        catch (Exception e)
        {
            TryDelete(temp);
            if (e is TrainingException) throw;
            throw new TrainingException($"{final}: writing the checkpoint failed ({e.Message}); earlier checkpoints are intact", e);
        }
        // A re-save of the same step (resume then save at once) replaces the old folder.
        if (System.IO.Directory.Exists(final)) System.IO.Directory.Delete(final, recursive: true);
        System.IO.Directory.Move(temp, final);
        Prune();
        return final;
    }

    /// <summary>Complete checkpoints, oldest first.</summary>
    public IReadOnlyList<(int Step, string Path)> Complete()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var found = new List<(int, string)>();
        foreach (var path in System.IO.Directory.EnumerateDirectories(Directory, Prefix + "*"))
        {
            var name = Path.GetFileName(path);
            if (int.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var step))
                found.Add((step, path));
        }
        return found.OrderBy(c => c.Item1).ToList();
    }

    /// <summary>The newest complete checkpoint's folder, or null when there is none.</summary>
    public string? Latest() => Complete() is { Count: > 0 } all ? all[^1].Path : null;

    public string PathFor(int step) => Path.Combine(Directory, Prefix + step.ToString(CultureInfo.InvariantCulture));

    private void Prune()
    {
        var all = Complete();
        for (var i = 0; i < all.Count - KeepLast; i++) System.IO.Directory.Delete(all[i].Path, recursive: true);
    }

    private static void TryDelete(string path)
    {
        try { if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true); }
        catch (IOException) { /* the .tmp name keeps it out of Complete() anyway */ }
    }
}
