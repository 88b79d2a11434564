using System.Runtime.CompilerServices;

namespace HierReason.Slurm.Tests;

/// <summary>Runs libtorch single-threaded in tests that build models directly: on shared 2-core machines its spinning threads make tiny ops far slower.</summary>
internal static class TestThreads
{
    [ModuleInitializer]
    internal static void UseOneThread() => TorchSharp.torch.set_num_threads(1);
}
