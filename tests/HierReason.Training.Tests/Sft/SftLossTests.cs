using HierReason.Training.Sft;
using static TorchSharp.torch;

namespace HierReason.Training.Tests.Sft;

public class SftLossTests
{
    [Fact]
    public void Batch_masks_prompt_and_padding_and_learns_every_completion_token()
    {
        using var batch = SftBatch.Collate([new SftExample([10, 11, 12, 13, 14], 2), new SftExample([20, 21, 22], 1)], padId: 0, CPU);

        Assert.Equal([10L, 11, 12, 13, 20, 21, 22, 0], batch.Inputs.data<long>().ToArray());
        Assert.Equal([11L, 12, 13, 14, 21, 22, 0, 0], batch.Targets.data<long>().ToArray());
        // Row 0 learns 12, 13, 14 (its completion); row 1 learns 21, 22; padding targets are masked.
        Assert.Equal([0f, 1, 1, 1, 1, 1, 0, 0], batch.LossMask.data<float>().ToArray());
        Assert.Equal(8, batch.TokenCount);
    }

    [Fact]
    public void Loss_is_the_mean_cross_entropy_of_unmasked_targets()
    {
        // Uniform logits over 4 classes: every token costs ln 4 whatever the target.
        using var logits = zeros(1, 3, 4);
        using var targets = tensor(new long[] { 1, 2, 3 }).reshape(1, 3);
        using var mask = tensor(new float[] { 0, 1, 1 }).reshape(1, 3);
        using var loss = SftLoss.Compute(logits, targets, mask);
        Assert.Equal(Math.Log(4), loss.item<float>(), 5);

        // A confident correct prediction at a masked position changes nothing; at a learned one it lowers the loss.
        using var sharp = logits.clone();
        sharp[0, 0, 1] = tensor(10f);
        using var same = SftLoss.Compute(sharp, targets, mask);
        Assert.Equal(loss.item<float>(), same.item<float>(), 6);
        sharp[0, 1, 2] = tensor(10f);
        using var lower = SftLoss.Compute(sharp, targets, mask);
        Assert.Equal((0 + Math.Log(4)) / 2 + Math.Log(1 + 3 * Math.Exp(-10)) / 2, lower.item<float>(), 4);
    }

    [Fact]
    public void Changing_prompt_token_targets_does_not_change_the_loss_of_a_model()
    {
        using var model = TinyRun.Model();
        var item = TinyRun.Items(1)[0];
        var example = SftExample.For(item, TinyRun.Tokenizer, TinyRun.Template, 256);
        using var batch = SftBatch.Collate([example], TinyRun.Tokenizer.PadId, CPU);
        using var noGrad = no_grad();
        using var logits = model.forward(batch.Inputs);
        using var loss = SftLoss.Compute(logits, batch.Targets, batch.LossMask);

        // Scramble every prompt target (the first PromptLength - 1 positions).
        using var scrambled = batch.Targets.clone();
        scrambled[.., ..(example.PromptLength - 1)] = tensor(7L);
        using var same = SftLoss.Compute(logits, scrambled, batch.LossMask);
        Assert.Equal(loss.item<float>(), same.item<float>());

        // A completion target does count.
        scrambled[0, example.PromptLength] = tensor(7L);
        using var changed = SftLoss.Compute(logits, scrambled, batch.LossMask);
        Assert.NotEqual(loss.item<float>(), changed.item<float>());
    }

    [Fact]
    public void Example_prompt_is_the_chat_rendered_task_prompt_and_completion_ends_the_turn()
    {
        var item = TinyRun.Items(1)[0];
        var example = SftExample.For(item, TinyRun.Tokenizer, TinyRun.Template, 512);
        var prompt = TinyRun.Tokenizer.Decode(example.Ids[..example.PromptLength]);
        var completion = TinyRun.Tokenizer.Decode(example.Ids[example.PromptLength..]);
        Assert.StartsWith("<|im_start|>user\nThink step by step.", prompt);
        Assert.EndsWith(item.Question + "<|im_end|>\n<|im_start|>assistant\n", prompt);
        Assert.Equal(item.Solution + "<|im_end|>", completion);
    }

    [Fact]
    public void A_long_completion_is_cut_to_max_seq_len()
    {
        var item = TinyRun.Items(1)[0];
        var full = SftExample.For(item, TinyRun.Tokenizer, TinyRun.Template, 4096);
        var cut = SftExample.For(item, TinyRun.Tokenizer, TinyRun.Template, full.PromptLength + 3);
        Assert.Equal(full.Ids[..(full.PromptLength + 3)], cut.Ids);
        Assert.Contains("prompt alone", Assert.ThrowsAny<HierReason.Core.HierReasonException>(() => SftExample.For(item, TinyRun.Tokenizer, TinyRun.Template, full.PromptLength)).Message);
    }
}
