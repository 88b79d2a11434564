namespace HierReason.Harness.Scheduling;

/// <summary>A device jobs run on: "cpu:0" or "cuda:2"; <see cref="CudaVisibleDevices"/> pins a GPU worker to it.</summary>
public sealed record DeviceSlot(string Name, string? CudaVisibleDevices)
{
    public static DeviceSlot Gpu(int index) => new($"cuda:{index}", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public static DeviceSlot Cpu(int index) => new($"cpu:{index}", null);
}
