namespace HierReason.Engine.Perf;

/// <summary>The process's resident memory from /proc/self/status (Linux); null elsewhere.</summary>
public static class ProcessMemory
{
    /// <summary>Current resident set (VmRSS) in bytes.</summary>
    public static long? Resident() => Read("VmRSS:");

    /// <summary>Peak resident set (VmHWM) in bytes.</summary>
    public static long? Peak() => Read("VmHWM:");

    /// <summary>Resets the peak to the current resident set (writing 5 to /proc/self/clear_refs); false where that is not allowed.</summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long? Read(string key)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        foreach (var line in File.ReadLines(status))
        {
            if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
            // "VmHWM:\t  123456 kB"
            var parts = line[key.Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return parts.Length >= 1 && long.TryParse(parts[0], out var kb) ? kb * 1024 : null;
        }
        return null;
    }
}
