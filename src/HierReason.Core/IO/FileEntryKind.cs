namespace HierReason.Core.IO;

/// <summary>What a path names on disk, as far as reading a config file goes.</summary>
public enum FileEntryKind
{
    /// <summary>Nothing there (or a dangling link).</summary>
    Missing,
    /// <summary>A regular file (or a link to one): the only kind a config may be read from.</summary>
    RegularFile,
    Directory,
    /// <summary>A FIFO, device, socket: opening one can block forever (a FIFO) or never end (<c>/dev/zero</c>).</summary>
    Other,
}
