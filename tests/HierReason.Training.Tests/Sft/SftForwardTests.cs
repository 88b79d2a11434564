using HierReason.Core.Tasks;
using HierReason.Training.Sft;
using static TorchSharp.torch;

namespace HierReason.Training.Tests.Sft;

public class SftForwardTests
{
    private static SftBatch MixedBatch()
    {
        // Items of two tasks: the rows share the chat header and the instruction, then differ.
        var items = TinyRun.Items(2).Concat(TaskDataset.Create(TaskRegistry.Default.Get("leg_counting"), Split.Train, 0, 2, level: 0)).ToList();
        var examples = items.Select(item => SftExample.For(item, TinyRun.Tokenizer, TinyRun.Template, 512)).ToArray();
        return SftBatch.Collate(examples, TinyRun.Tokenizer.PadId, CPU);
    }

    [Fact]
    public void Shared_prefix_is_the_common_start_of_every_row_and_stops_inside_the_prompts()
    {
        using var batch = SftBatch.Collate([new SftExample([1, 2, 3, 4, 9, 9], 5), new SftExample([1, 2, 3, 5, 8], 4), new SftExample([1, 2, 3, 4, 7], 3)], 0, CPU);
        // Rows agree on 1, 2, 3; the shortest prompt (3 tokens) allows at most 2 shared inputs.
        Assert.Equal(2, batch.SharedPrefix);
        using var realistic = MixedBatch();
        var instruction = TinyRun.Tokenizer.Encode(HierReason.Core.Prompts.TaskPrompt.Instruction).Length;
        Assert.True(realistic.SharedPrefix >= instruction, $"shared {realistic.SharedPrefix} < instruction {instruction}");
    }

    [Fact]
    public void Sharing_the_prefix_gives_the_loss_and_gradients_of_the_full_forward()
    {
        using var model = TinyRun.Model(seed: 3);
        using var batch = MixedBatch();
        Assert.True(batch.SharedPrefix >= SftForward.MinSharedPrefix);

        (float Loss, Dictionary<string, float[]> Grads) Run(bool share)
        {
            model.zero_grad();
            using var loss = SftForward.Loss(model, batch, share);
            loss.backward();
            return (loss.item<float>(), model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.reshape(-1).data<float>().ToArray()));
        }

        var full = Run(share: false);
        var shared = Run(share: true);
        Assert.Equal(full.Loss, shared.Loss, 5);
        foreach (var (name, expected) in full.Grads)
        {
            var scale = expected.Max(Math.Abs);
            Assert.True(scale > 0, $"{name}: no gradient");
            var worst = expected.Zip(shared.Grads[name], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-4 * scale, $"{name}: gradients differ by {worst} (scale {scale})");
        }
    }

    [Fact]
    public void A_batch_of_two_tasks_runs_each_tasks_longer_start_once_and_pads_each_task_to_its_own_rows()
    {
        using var batch = MixedBatch();
        // chain_sum's rows share "State the final answer …" beyond the instruction, leg_counting's "How many legs …".
        Assert.Equal(2, batch.Groups.Count);
        Assert.Equal([[0, 1], [2, 3]], batch.Groups.Select(g => g.Rows));
        Assert.All(batch.Groups, g => Assert.True(g.Extra >= SftForward.MinSharedPrefix, $"extra {g.Extra}"));
        var shape = HierReason.Engine.Perf.DecoderShape.Of(TinyRun.Config);
        var grouped = SftForward.Work(shape, batch).Positions;
        var rows = batch.Inputs.shape[0];
        var width = batch.Inputs.shape[1];
        Assert.True(grouped < batch.SharedPrefix + rows * (width - batch.SharedPrefix), $"{grouped} positions");
        // Rows of one task form one group without an extra start: the batch prefix already covers it.
        var oneTask = TinyRun.Items(3).Select(item => SftExample.For(item, TinyRun.Tokenizer, TinyRun.Template, 512)).ToArray();
        using var single = SftBatch.Collate(oneTask, TinyRun.Tokenizer.PadId, CPU);
        Assert.Equal(0, Assert.Single(single.Groups).Extra);
    }
}
