using HierReason.Core.Episodes;
using HierReason.Engine.Models;
using HierReason.Training.Grpo;
using HierReason.Training.Optim;
using HierReason.Training.Tests.Sft;
using TorchSharp.Modules;

namespace HierReason.Training.Tests.Grpo;

/// <summary>The policy update GRPO trains with, on fixed episodes: its gradients, not token counts.</summary>
public class GrpoUpdateTests
{
    private static Segment Seg(Actor actor, string text) => new(actor, text, TinyRun.Tokenizer.Encode(text));

    private static Episode Episode(string policy, string? environment = null, string? after = null, string question = "What is 1+2?")
    {
        var e = new Episode(Seg(Actor.Prompt, $"<|im_start|>user\n{question}<|im_end|>\n<|im_start|>assistant\n")).Append(Seg(Actor.Policy, policy));
        if (environment is not null) e = e.Append(Seg(Actor.Environment, environment));
        if (after is not null) e = e.Append(Seg(Actor.Policy, after));
        return e.Finish(EpisodeEnd.Stop);
    }

    private static readonly Episode[] Batch =
    [
        Episode("3", "<result>x</result>", "ok"), Episode("4"), Episode("35"), Episode("<answer>3</answer>"),
    ];

    private static readonly double[] Advantages = [1.0, -0.5, 0.25, -0.75];

    /// <summary>The gradients one update accumulates on a fresh copy of the model, read just before the optimiser step.</summary>
    private static Dictionary<string, float[]> Gradients(IReadOnlyList<Episode> episodes, double[] advantages, GrpoOptions options, int accum,
        GrpoEfficiency? efficiency = null) => Update(episodes, advantages, options, accum, efficiency).Gradients;

    private static (Dictionary<string, float[]> Gradients, GrpoUpdateResult Result) Update(IReadOnlyList<Episode> episodes, double[] advantages,
        GrpoOptions options, int accum, GrpoEfficiency? efficiency)
    {
        using var model = TinyRun.Model(9);
        using var optimizer = new TrainingOptimizer(model.parameters(), new LearningRateSchedule(0.0, 0, 10), 0, 0);
        Dictionary<string, float[]>? gradients = null;
        var result = new GrpoUpdate(model, null, null, optimizer, options, accum, TinyRun.Tokenizer.PadId, efficiency).Run(episodes, advantages, 0,
            beforeStep: () => gradients = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray()));
        Assert.Null(result.BadReason);
        return (gradients!, result);
    }

    /// <summary>As <see cref="Update"/> with one advantage per completion token.</summary>
    private static (Dictionary<string, float[]> Gradients, GrpoUpdateResult Result) UpdatePerToken(IReadOnlyList<Episode> episodes, float[][] advantages,
        GrpoOptions options, int accum)
    {
        using var model = TinyRun.Model(9);
        using var optimizer = new TrainingOptimizer(model.parameters(), new LearningRateSchedule(0.0, 0, 10), 0, 0);
        Dictionary<string, float[]>? gradients = null;
        var result = new GrpoUpdate(model, null, null, optimizer, options, accum, TinyRun.Tokenizer.PadId).Run(episodes, advantages, 0,
            beforeStep: () => gradients = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray()));
        Assert.Null(result.BadReason);
        return (gradients!, result);
    }

    [Theory]
    [InlineData(LossType.Dapo, 1)]
    [InlineData(LossType.Grpo, 3)]
    public void Per_token_advantages_constant_per_completion_give_exactly_the_per_completion_update(LossType loss, int accum)
    {
        var options = new GrpoOptions { NumGenerations = 4, LossType = loss, MaxCompletionLength = 64, OverlongCacheLength = 2 };
        var perCompletion = Update(Ragged, RaggedAdvantages, options, accum, null);
        var perToken = UpdatePerToken(Ragged, Ragged.Select((e, i) => Enumerable.Repeat((float)RaggedAdvantages[i], e.CompletionTokenIds.Count).ToArray()).ToArray(), options, accum);
        Assert.Equal(perCompletion.Result.Loss, perToken.Result.Loss);
        Assert.Equal(0.0, MaxDifference(perCompletion.Gradients, perToken.Gradients));
    }

    [Fact]
    public void Per_token_advantages_on_environment_tokens_change_nothing()
    {
        // Episode 4 of Ragged: 44 policy tokens, the environment's <result>y</result> (masked), then the policy's "z".
        var options = new GrpoOptions { NumGenerations = 4, MaxCompletionLength = 64, OverlongCacheLength = 2 };
        float[][] Advantages(float environment) => Ragged.Select(e =>
        {
            var mask = e.CompletionLossMask;
            return mask.Select((m, t) => m == 1 ? 0.01f * (t % 7) - 0.03f : environment).ToArray();
        }).ToArray();
        Assert.Contains(Ragged, e => e.CompletionLossMask.Contains(0));
        var zero = UpdatePerToken(Ragged, Advantages(0f), options, 2);
        var large = UpdatePerToken(Ragged, Advantages(100f), options, 2);
        Assert.True(zero.Gradients.Values.Any(g => g.Any(v => Math.Abs(v) > 1e-6)), "the update has a gradient to compare");
        Assert.Equal(zero.Result.Loss, large.Result.Loss);
        Assert.Equal(0.0, MaxDifference(zero.Gradients, large.Gradients));
    }

    // Two prompts sharing their chat header × four completions of 1 to 60 tokens, in an order unrelated to their lengths.
    private static readonly Episode[] Ragged =
    [
        Episode("4"), Episode(new string('7', 60)), Episode("12 + 5 = 17\n<answer>17</answer>"), Episode("35"),
        Episode(new string('x', 44), "<result>y</result>", "z", "What is 7+5?"), Episode("9", question: "What is 7+5?"), Episode("<answer>3</answer>", question: "What is 7+5?"),
        Episode(new string('1', 23), question: "What is 7+5?"),
    ];

    private static readonly double[] RaggedAdvantages = [1.0, -0.5, 0.25, -0.75, 0.6, -1.1, 0.3, 0.2];

    [Theory]
    [InlineData(LossType.Dapo, 1)]
    [InlineData(LossType.Grpo, 1)]
    [InlineData(LossType.DrGrpo, 1)]
    [InlineData(LossType.Dapo, 3)]
    [InlineData(LossType.Grpo, 2)]
    public void Length_sorted_micro_batches_and_a_shared_prompt_start_give_the_gradients_of_the_plain_update(LossType loss, int accum)
    {
        var options = new GrpoOptions { NumGenerations = 4, LossType = loss, MaxCompletionLength = 64, OverlongCacheLength = 2 };
        Assert.True(HierReason.Engine.Generation.PromptPrefill.SharedLength(Ragged.Select(e => e.Prompt.TokenIds!).Distinct().ToArray()) >= 8, "the prompts share a start worth running once");
        // Off: rows in rollout order, each prompt prefilled whole (the update as it was); the others share the prompts' chat header.
        var unsorted = Update(Ragged, RaggedAdvantages, options, accum, GrpoEfficiency.Off);
        var sorted = Update(Ragged, RaggedAdvantages, options, accum, GrpoEfficiency.Default with { MicroBatching = MicroBatching.Default with { OverheadPositions = 8 } });
        var sortedOnly = Update(Ragged, RaggedAdvantages, options, accum, GrpoEfficiency.Default with { MicroBatching = MicroBatching.Default with { SplitByLength = false } });
        // The lengths differ enough that the planner cuts several micro-batches (even when one is configured), and pads fewer positions.
        Assert.True(sorted.Result.MicroBatches > 1, $"{sorted.Result.MicroBatches} micro-batches");
        Assert.True(sorted.Result.TrainedPositions < unsorted.Result.TrainedPositions);
        Assert.Equal(unsorted.Result.Loss!.Value, sorted.Result.Loss!.Value, 6);
        Assert.True(unsorted.Gradients.Values.Any(g => g.Any(v => Math.Abs(v) > 1e-6)), "the update has a gradient to compare");
        Assert.True(MaxDifference(unsorted.Gradients, sorted.Gradients) < 1e-6, $"max |Δgrad| = {MaxDifference(unsorted.Gradients, sorted.Gradients):E3}");
        Assert.True(MaxDifference(unsorted.Gradients, sortedOnly.Gradients) < 1e-6, $"max |Δgrad| = {MaxDifference(unsorted.Gradients, sortedOnly.Gradients):E3}");
    }

    private static double MaxDifference(Dictionary<string, float[]> a, Dictionary<string, float[]> b) =>
        a.Max(kv => kv.Value.Zip(b[kv.Key], (x, y) => Math.Abs(x - y)).Max());

    [Theory]
    [InlineData(LossType.Dapo)]
    [InlineData(LossType.Grpo)]
    [InlineData(LossType.DrGrpo)]
    public void Gradient_accumulation_of_two_micro_batches_equals_one_batch(LossType loss)
    {
        var options = new GrpoOptions { NumGenerations = 2, LossType = loss, MaxCompletionLength = 32, OverlongCacheLength = 2 };
        var whole = Gradients(Batch, Advantages, options, accum: 1);
        var split = Gradients(Batch, Advantages, options, accum: 2);
        Assert.True(whole.Values.Any(g => g.Any(v => Math.Abs(v) > 1e-6)), "the update has a gradient to compare");
        Assert.True(MaxDifference(whole, split) < 1e-6, $"max |Δgrad| = {MaxDifference(whole, split):E3}");
    }

    [Fact]
    public void Environment_tokens_carry_no_gradient()
    {
        // The environment segment comes after the policy's first turn, so it cannot change how that turn is scored: if
        // environment tokens carried loss, their different ids would change the gradient.
        var options = new GrpoOptions { NumGenerations = 2, MaxCompletionLength = 32, OverlongCacheLength = 2 };
        Episode[] one = [Episode("35", "<result>abc</result>"), Episode("4")];
        Episode[] other = [Episode("35", "<result>XYZ</result>"), Episode("4")];
        var a = Gradients(one, [1.0, -1.0], options, 1);
        var b = Gradients(other, [1.0, -1.0], options, 1);
        Assert.True(MaxDifference(a, b) < 1e-7, $"max |Δgrad| = {MaxDifference(a, b):E3}");

        // The same change inside a policy segment does change the gradient (the check above can fail).
        Episode[] trained = [Episode("35", null, "<result>XYZ</result>"), Episode("4")];
        Episode[] trainedOther = [Episode("35", null, "<result>abc</result>"), Episode("4")];
        Assert.True(MaxDifference(Gradients(trained, [1.0, -1.0], options, 1), Gradients(trainedOther, [1.0, -1.0], options, 1)) > 1e-5);
    }

    [Fact]
    public void Restricted_turns_are_scored_over_their_allowed_ids_only()
    {
        var allowed = TinyRun.Tokenizer.Encode("ABC");
        var restricted = new Episode(Seg(Actor.Prompt, "pick:"))
            .Append(new Segment(Actor.Policy, "B", TinyRun.Tokenizer.Encode("B")) { AllowedTokenIds = allowed })
            .Append(Seg(Actor.Environment, " thought"))
            .Append(Seg(Actor.Policy, "C"))
            .Finish(EpisodeEnd.Stop);
        var spans = GrpoUpdate.RestrictedSpans(restricted);
        Assert.Equal([new HierReason.Engine.Generation.RestrictedSpan(0, 1, allowed)], spans, new SpanComparer());
    }

    private sealed class SpanComparer : IEqualityComparer<HierReason.Engine.Generation.RestrictedSpan>
    {
        public bool Equals(HierReason.Engine.Generation.RestrictedSpan? x, HierReason.Engine.Generation.RestrictedSpan? y) =>
            x!.Start == y!.Start && x.Length == y.Length && x.AllowedTokenIds.SequenceEqual(y.AllowedTokenIds);
        public int GetHashCode(HierReason.Engine.Generation.RestrictedSpan obj) => obj.Start;
    }
}
