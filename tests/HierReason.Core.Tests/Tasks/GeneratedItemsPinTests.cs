using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using HierReason.Core.Json;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

/// <summary>
/// Pins every generated item byte for byte, so that speeding generation up cannot change a dataset. For each task:
/// items 0..999 of seeds 0 and 42 on every split (default config), and items 0..99 of seed 5 at every difficulty level,
/// written as <c>tasks sample --json</c> writes them (id, question, answer, metadata with the gold trace) plus the gold
/// decomposition where the task has one, hashed with XxHash3.
/// </summary>
/// <remarks>
/// The expected hashes were computed by this test with the generation code as it was before the throughput work of
/// issue 24 (commit 0fc7359), and pasted here: a regression pin, not a hand-written result. A change that is meant to
/// change items must say so and update the hash of the task it changes.
/// </remarks>
public class GeneratedItemsPinTests
{
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["leg_counting"] = "a005cb5bb50785da",
        ["basic_arithmetic"] = "cc2a6c4c66bd547a",
        ["chain_sum"] = "836f9d95610d71ad",
        ["letter_counting"] = "1b7bc5c698c18364",
        ["gsm_symbolic"] = "c56f8d8a60365b7d",
        ["tower_of_hanoi"] = "7dc02bf0d92d1637",
        ["mini_sudoku"] = "a42ba539453fc7d9",
        ["simple_geometry"] = "7854f20743ca3378",
        ["shortest_path"] = "d0ca690f5ade2816",
        ["countdown"] = "50d36d2033a55d79",
        ["multi_step_arithmetic"] = "d0075d00c6598675",
        ["multi_hop_lookup"] = "38924910750d3a95",
    };

    public static TheoryData<string> TaskNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in TaskRegistry.Default.Names) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(TaskNames))]
    public void Generated_items_are_byte_identical_to_the_pinned_ones(string name)
    {
        Assert.True(Expected.TryGetValue(name, out var expected), $"{name} has no pinned hash: add one computed from its current items");
        Assert.Equal(expected, HashOfItems(TaskRegistry.Default.Get(name)));
    }

    private static string HashOfItems(IReasoningTask task)
    {
        var hash = new XxHash3();
        foreach (var seed in new long[] { 0, 42 })
            foreach (var split in new[] { Split.Train, Split.Validation, Split.Test })
                for (var index = 0; index < 1000; index++)
                    Add(hash, task.Generate(task.DefaultConfig, split, seed, index));
        for (var level = 0; level < task.Levels.Count; level++)
            for (var index = 0; index < 100; index++)
                Add(hash, task.Generate(task.Levels[level], Split.Train, 5, index, level));
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    private static void Add(XxHash3 hash, TaskItem item)
    {
        hash.Append(Encoding.UTF8.GetBytes(TaskItemJson.Serialize(item)));
        hash.Append("\n"u8);
        if (GoldDecomposition.Of(item) is { } plan)
        {
            hash.Append(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(plan, HierJson.Options)));
            hash.Append("\n"u8);
        }
    }
}
