using System.Runtime.CompilerServices;

namespace HierReason.Reasoning.Tests;

/// <summary>Runs libtorch single-threaded in tests: on shared 2-core machines its spinning worker threads make tiny ops 100× slower.</summary>
internal static class TestThreads
{
    [ModuleInitializer]
    internal static void UseOneThread() => TorchSharp.torch.set_num_threads(1);
}
