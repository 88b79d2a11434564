namespace HierReason.Core.Perf;

/// <summary>Which machine ran a measurement: its host name and CPU model, as <c>build/perf/reasoning_gym_anchor.py</c> records them.</summary>
public sealed record HostIdentity(string Hostname, string CpuModel)
{
    /// <summary>This machine: <see cref="Environment.MachineName"/> and the first <c>model name</c> of /proc/cpuinfo (else "unknown").</summary>
    public static HostIdentity Current() => new(Environment.MachineName, ReadCpuModel());

    private static string ReadCpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is var colon and >= 0)
                    return line[(colon + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return "unknown";
    }
}
