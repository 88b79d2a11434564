using HierReason.Core.Tasks;
using HierReason.Engine.Perf;
using HierReason.Training.Sft;
using static TorchSharp.torch;

namespace HierReason.Training.Tests.Sft;

public class SftBucketsTests
{
    /// <summary>A window of three tasks' examples, interleaved as a task mixture draws them.</summary>
    private static List<(string Task, SftExample Example)> Window(int perTask)
    {
        var tasks = new[] { "chain_sum", "basic_arithmetic", "leg_counting" }
            .Select(name => TaskDataset.Create(TaskRegistry.Default.Get(name), Split.Train, 0, perTask, level: 0).ToList()).ToArray();
        return Enumerable.Range(0, perTask).SelectMany(i => tasks.Select(t => t[i]))
            .Select(item => (item.Task, SftExample.For(item, TinyRun.Tokenizer, TinyRun.Template, 512))).ToList();
    }

    [Fact]
    public void A_window_becomes_batches_of_one_task_holding_every_example_once()
    {
        var window = Window(8);
        var batches = SftBuckets.Batches(window, 4, seed: 5);
        Assert.Equal(6, batches.Count);
        Assert.Equal(window.Select(e => e.Example).OrderBy(e => e.GetHashCode()), batches.SelectMany(b => b).OrderBy(e => e.GetHashCode()));
        var taskOf = window.ToDictionary(e => e.Example, e => e.Task);
        Assert.All(batches, b => Assert.Single(b.Select(e => taskOf[e]).Distinct()));
        // Within a task, longest first: a batch pads to rows of similar length.
        var leg = batches.Where(b => taskOf[b[0]] == "leg_counting").SelectMany(b => b).Select(e => e.Ids.Length).ToArray();
        Assert.Equal(leg.OrderByDescending(l => l), leg.OrderByDescending(l => l));
        Assert.All(batches.Where(b => taskOf[b[0]] == "leg_counting"), b => Assert.Equal(b.Select(e => e.Ids.Length).OrderByDescending(l => l), b.Select(e => e.Ids.Length)));
    }

    [Fact]
    public void The_batch_order_is_a_fixed_function_of_the_seed()
    {
        var window = Window(8);
        string Order(ulong seed) => string.Join(",", SftBuckets.Batches(window, 4, seed).Select(b => window.FindIndex(e => ReferenceEquals(e.Example, b[0]))));
        Assert.Equal(Order(5), Order(5));
        Assert.NotEqual(Order(5), Order(6));
    }

    [Fact]
    public void Per_task_prefixes_and_bucketing_compute_fewer_positions_for_the_same_loss_tokens()
    {
        var window = Window(16);
        var shape = DecoderShape.Of(TinyRun.Config);
        (long Positions, long LossTokens) Measure(IEnumerable<SftExample[]> batches, bool groups)
        {
            long positions = 0, loss = 0;
            foreach (var examples in batches)
            {
                using var batch = SftBatch.Collate(examples, TinyRun.Tokenizer.PadId, CPU);
                positions += SftForward.Work(shape, batch, groups: groups).Positions;
                loss += batch.LossTokenCount;
            }
            return (positions, loss);
        }
        var inOrder = window.Select(e => e.Example).Chunk(16).ToArray();
        var batchPrefixOnly = Measure(inOrder, groups: false);
        var perTask = Measure(inOrder, groups: true);
        var bucketed = Measure(SftBuckets.Batches(window, 16, seed: 1), groups: true);
        Assert.Equal(batchPrefixOnly.LossTokens, bucketed.LossTokens);
        // Mixed batches: each task's instruction once instead of only the chat header; bucketing then trims padding and calls.
        Assert.True(perTask.Positions < 0.6 * batchPrefixOnly.Positions, $"positions {perTask.Positions} vs {batchPrefixOnly.Positions}");
        Assert.True(bucketed.Positions < perTask.Positions, $"positions {bucketed.Positions} vs {perTask.Positions}");
    }
}
