using System.Runtime.InteropServices;

namespace HierReason.Core.Perf;

/// <summary>The machine a measurement was taken on, so numbers from different machines are not compared blindly.</summary>
public sealed record MachineInfo(int ProcessorCount, string Os, string Architecture, string Dotnet, DateTimeOffset Date)
{
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
        RuntimeInformation.FrameworkDescription,
        DateTimeOffset.UtcNow);
}
