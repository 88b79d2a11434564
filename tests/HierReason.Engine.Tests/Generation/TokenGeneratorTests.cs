using HierReason.Engine.Generation;
using HierReason.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Generation;

public class TokenGeneratorTests
{
    private static readonly IReadOnlyList<int> PromptA = [5, 9, 2, 33];
    private static readonly IReadOnlyList<int> PromptB = [17, 8];

    // EOS-free so sequences run to their budget unless a test says otherwise.
    private static CausalLM Model(int maxPositions = 128) =>
        TestModels.Create(TestModels.Qwen2() with { EosTokenIds = [], MaxPositionEmbeddings = maxPositions });

    private static List<int> GreedyWithoutCache(CausalLM model, IReadOnlyList<int> prompt, int steps)
    {
        using var noGrad = no_grad();
        var ids = prompt.ToList();
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var logits = model.forward(tensor(ids.Select(x => (long)x).ToArray(), [1, ids.Count]));
            ids.Add((int)logits[0, -1].argmax().item<long>());
        }
        return ids.Skip(prompt.Count).ToList();
    }

    [Fact]
    public void Greedy_decoding_with_cache_matches_argmax_over_full_forwards()
    {
        using var model = Model();
        var result = new TokenGenerator(model).Generate([PromptA], new GenerationOptions { Temperature = 0, MaxNewTokens = 8 });
        Assert.Equal(GreedyWithoutCache(model, PromptA, 8), result[0].TokenIds);
        Assert.Equal(FinishReason.Length, result[0].FinishReason);
        Assert.Equal(8, result[0].LogProbs.Count);
    }

    [Fact]
    public void Decoding_past_the_first_256_steps_grows_the_cache_and_mask_without_changing_a_token()
    {
        // The cache and mask start with room for 256 steps and double: 300 steps cross that once, with left padding.
        using var model = Model(maxPositions: 1 << 20);
        var result = new TokenGenerator(model).Generate([PromptA, PromptB], new GenerationOptions { Temperature = 0, MaxNewTokens = 300 });
        Assert.Equal(GreedyWithoutCache(model, PromptA, 300), result[0].TokenIds);
        Assert.Equal(GreedyWithoutCache(model, PromptB, 300), result[1].TokenIds);
        Assert.InRange(model.RotaryPositionsCached, 304, 512);
    }

    [Fact]
    public void Prompts_of_different_lengths_generate_as_if_alone()
    {
        using var model = Model();
        var generator = new TokenGenerator(model);
        var options = new GenerationOptions { Temperature = 0, MaxNewTokens = 6 };
        var together = generator.Generate([PromptA, PromptB], options);
        var aloneA = generator.Generate([PromptA], options)[0];
        var aloneB = generator.Generate([PromptB], options)[0];
        Assert.Equal(aloneA.TokenIds, together[0].TokenIds);
        Assert.Equal(aloneB.TokenIds, together[1].TokenIds);
        for (var i = 0; i < 6; i++) Assert.Equal(aloneB.LogProbs[i], together[1].LogProbs[i], 1e-4);
    }

    [Fact]
    public void Greedy_samples_of_one_prompt_are_identical_copies_in_prompt_major_order()
    {
        using var model = Model();
        var result = new TokenGenerator(model).Generate([PromptA, PromptB], new GenerationOptions { Temperature = 0, MaxNewTokens = 5, NumSamples = 3 });
        Assert.Equal(6, result.Count);
        Assert.Equal([0, 0, 0, 1, 1, 1], result.Select(r => r.PromptIndex));
        Assert.Equal([0, 1, 2, 0, 1, 2], result.Select(r => r.SampleIndex));
        Assert.All(result.Take(3), r => Assert.Equal(result[0].TokenIds, r.TokenIds));
        Assert.All(result.Skip(3), r => Assert.Equal(result[3].TokenIds, r.TokenIds));
        Assert.Equal(GreedyWithoutCache(model, PromptB, 5), result[4].TokenIds);
    }

    [Fact]
    public void Seeded_sampling_reproduces_and_another_seed_differs()
    {
        using var model = Model();
        var generator = new TokenGenerator(model);
        var options = new GenerationOptions { Temperature = 1.5, MaxNewTokens = 12, NumSamples = 4, Seed = 42 };
        var first = generator.Generate([PromptA, PromptB], options);
        var second = generator.Generate([PromptA, PromptB], options);
        var other = generator.Generate([PromptA, PromptB], options with { Seed = 43 });
        Assert.Equal(first.Select(r => r.TokenIds), second.Select(r => r.TokenIds));
        Assert.Equal(first.Select(r => r.LogProbs), second.Select(r => r.LogProbs));
        Assert.NotEqual(first.Select(r => string.Join(",", r.TokenIds)), other.Select(r => string.Join(",", r.TokenIds)));
        // Samples of one group share the prompt but not the completion.
        Assert.True(first.Take(4).Select(r => string.Join(",", r.TokenIds)).Distinct().Count() > 1);
    }

    [Fact]
    public void Top_k_of_one_is_greedy()
    {
        using var model = Model();
        var generator = new TokenGenerator(model);
        var greedy = generator.Generate([PromptA], new GenerationOptions { Temperature = 0, MaxNewTokens = 6 })[0];
        var topK = generator.Generate([PromptA], new GenerationOptions { Temperature = 1, TopK = 1, MaxNewTokens = 6, Seed = 1 })[0];
        var topP = generator.Generate([PromptA], new GenerationOptions { Temperature = 1, TopP = 1e-6, MaxNewTokens = 6, Seed = 1 })[0];
        Assert.Equal(greedy.TokenIds, topK.TokenIds);
        Assert.Equal(greedy.TokenIds, topP.TokenIds);
    }

    [Fact]
    public void Eos_ends_a_sequence_with_stop_and_keeps_the_eos_token()
    {
        using var model = Model();
        var generator = new TokenGenerator(model);
        var greedy = generator.Generate([PromptA], new GenerationOptions { Temperature = 0, MaxNewTokens = 6 })[0];
        var eos = greedy.TokenIds[2];
        var firstEos = greedy.TokenIds.ToList().IndexOf(eos);
        var stopped = generator.Generate([PromptA], new GenerationOptions { Temperature = 0, MaxNewTokens = 6, EosTokenIds = [eos] })[0];
        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(greedy.TokenIds.Take(firstEos + 1), stopped.TokenIds);
    }

    [Fact]
    public void Caller_stop_check_ends_only_the_sequence_it_names()
    {
        using var model = Model();
        var asked = new List<int>();
        var result = new TokenGenerator(model).Generate([PromptA, PromptB], new GenerationOptions { Temperature = 0, MaxNewTokens = 5 },
            (seq, ids) => { asked.Add(seq); return seq == 1 && ids.Count == 2; });
        Assert.Equal(FinishReason.Length, result[0].FinishReason);
        Assert.Equal(5, result[0].TokenIds.Count);
        Assert.Equal(FinishReason.Stop, result[1].FinishReason);
        Assert.Equal(2, result[1].TokenIds.Count);
        Assert.Equal(2, asked.Count(s => s == 1));
    }

    [Fact]
    public void Generated_logprobs_equal_scored_logprobs_at_the_same_temperature()
    {
        using var model = Model();
        var options = new GenerationOptions { Temperature = 0.7, MaxNewTokens = 6, NumSamples = 2, Seed = 5 };
        var result = new TokenGenerator(model).Generate([PromptA, PromptB], options);
        var prompts = new[] { PromptA, PromptB };
        using var scores = CompletionScorer.Score(model, result.Select(r => (prompts[r.PromptIndex], r.TokenIds)).ToArray(), temperature: 0.7);
        for (var r = 0; r < result.Count; r++)
            for (var t = 0; t < result[r].TokenIds.Count; t++)
                Assert.Equal(scores.LogProbs[r, t].item<float>(), result[r].LogProbs[t], 1e-4);
    }

    // Rows stop after very different lengths (1 … 40 tokens), so the batch is compacted several times; prompts of different
    // lengths keep left padding in the cache rows that survive.
    private static readonly int[] StopAfter = [1, 40, 3, 2, 25, 1, 7, 40, 2, 12, 1, 33];

    private static IReadOnlyList<GeneratedSequence> StopAtDifferentLengths(CausalLM model, GenerationOptions options) =>
        new TokenGenerator(model).Generate([PromptA, PromptB, [3, 4, 5, 6, 7, 8, 9]], options with { NumSamples = 4, MaxNewTokens = 40 },
            (row, ids) => ids.Count >= StopAfter[row]);

    [Fact]
    public void Dropping_finished_rows_leaves_greedy_completions_unchanged()
    {
        using var model = Model();
        var compacted = StopAtDifferentLengths(model, new GenerationOptions { Temperature = 0, CompactBelow = 0.9 });
        var full = StopAtDifferentLengths(model, new GenerationOptions { Temperature = 0, CompactBelow = 0 });
        Assert.Equal(StopAfter, compacted.Select(s => s.TokenIds.Count));
        Assert.Equal(full.Select(s => s.TokenIds), compacted.Select(s => s.TokenIds));
        for (var r = 0; r < full.Count; r++)
            for (var t = 0; t < full[r].LogProbs.Count; t++) Assert.Equal(full[r].LogProbs[t], compacted[r].LogProbs[t], 1e-4);
        Assert.Equal(full.Select(s => s.FinishReason), compacted.Select(s => s.FinishReason));
    }

    [Fact]
    public void Each_row_reports_when_it_finished_so_a_row_that_stops_after_one_token_is_done_before_one_that_writes_forty()
    {
        using var model = Model();
        var result = StopAtDifferentLengths(model, new GenerationOptions { Temperature = 0 });
        var first = result.Where((_, r) => StopAfter[r] == 1).Select(s => s.ElapsedMs!.Value).ToList();
        var last = result.Where((_, r) => StopAfter[r] == 40).Select(s => s.ElapsedMs!.Value).ToList();
        Assert.All(result, s => Assert.True(s.ElapsedMs > 0));
        // 39 more decode steps lie between them; the one-token rows finish at the first sampled token, together.
        Assert.True(first.Max() < last.Min(), $"one-token rows at {string.Join(", ", first)} ms, forty-token rows at {string.Join(", ", last)} ms");
        Assert.Single(first.Distinct());
    }

    [Fact]
    public void Dropping_finished_rows_computes_fewer_row_steps_for_the_same_tokens()
    {
        using var model = Model();
        var generator = new TokenGenerator(model);
        var options = new GenerationOptions { Temperature = 0, MaxNewTokens = 40, NumSamples = 4 };
        bool Stop(int row, IReadOnlyList<int> ids) => ids.Count >= StopAfter[row];
        generator.Generate([PromptA, PromptB, [3, 4, 5, 6, 7, 8, 9]], options with { CompactBelow = 0 }, Stop);
        var full = generator.LastWork;
        generator.Generate([PromptA, PromptB, [3, 4, 5, 6, 7, 8, 9]], options, Stop);
        var compacted = generator.LastWork;
        // Every kept token is one alive row-step; without compaction all 12 rows run the 40 steps of the longest.
        Assert.Equal(StopAfter.Sum(), full.AliveRowSteps);
        Assert.Equal(StopAfter.Sum(), compacted.AliveRowSteps);
        Assert.Equal(12 * 40, full.RowSteps);
        Assert.InRange(compacted.RowSteps, StopAfter.Sum(), 2 * StopAfter.Sum());
        Assert.True(compacted.Flops < full.Flops);
        Assert.Equal(3 * 7, compacted.PrefillPositions);
    }

    [Fact]
    public void Seeded_sampling_with_compaction_reproduces()
    {
        using var model = Model();
        var options = new GenerationOptions { Temperature = 1.0, Seed = 11, CompactBelow = 0.9 };
        var first = StopAtDifferentLengths(model, options);
        var second = StopAtDifferentLengths(model, options);
        Assert.Equal(first.Select(s => s.TokenIds), second.Select(s => s.TokenIds));
        Assert.Equal(first.Select(s => s.LogProbs), second.Select(s => s.LogProbs));
    }

    [Fact]
    public void Restricted_rows_keep_their_allowed_sets_after_compaction()
    {
        using var model = Model();
        IReadOnlyList<int>[] allowed = [[10, 11], [20, 21, 22], [30]];
        var result = new TokenGenerator(model).Generate([PromptA, PromptB, [3, 4, 5, 6, 7, 8, 9]],
            new GenerationOptions { Temperature = 1.0, Seed = 3, NumSamples = 4, MaxNewTokens = 40, CompactBelow = 0.9 },
            (row, ids) => ids.Count >= StopAfter[row], allowed);
        Assert.All(result, s => Assert.All(s.TokenIds, id => Assert.Contains(id, allowed[s.PromptIndex])));
    }

    // A 10-token start every prompt shares (a chat header and an instruction in real use), then rests of 1 to 5 tokens.
    private static readonly IReadOnlyList<int>[] SharedStart =
    [
        [40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 5, 9, 2, 33, 7],
        [40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 17],
        [40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 30, 31],
    ];

    [Fact]
    public void Prompts_sharing_a_start_prefill_it_once_and_generate_as_if_alone()
    {
        using var model = Model();
        var generator = new TokenGenerator(model);
        var options = new GenerationOptions { Temperature = 0, MaxNewTokens = 8, NumSamples = 2 };
        var shared = generator.Generate(SharedStart, options);
        Assert.Equal(10 + 3 * 5, generator.LastWork.PrefillPositions);
        var whole = generator.Generate(SharedStart, options with { SharePromptPrefix = false });
        Assert.Equal(3 * 15, generator.LastWork.PrefillPositions);
        Assert.Equal(whole.Select(s => s.TokenIds), shared.Select(s => s.TokenIds));
        for (var p = 0; p < SharedStart.Length; p++)
            Assert.Equal(GreedyWithoutCache(model, SharedStart[p], 8), shared[2 * p].TokenIds);
        for (var r = 0; r < shared.Count; r++)
            for (var t = 0; t < 8; t++) Assert.Equal(whole[r].LogProbs[t], shared[r].LogProbs[t], 1e-4);
    }

    [Fact]
    public void Invalid_options_and_prompts_are_user_errors()
    {
        using var model = Model();
        var generator = new TokenGenerator(model);
        Assert.Throws<EngineException>(() => generator.Generate([PromptA], new GenerationOptions { TopP = 0 }));
        Assert.Throws<EngineException>(() => generator.Generate([PromptA], new GenerationOptions { Temperature = -1 }));
        Assert.Throws<EngineException>(() => generator.Generate([[]], new GenerationOptions { MaxNewTokens = 4 }));
        Assert.Throws<EngineException>(() => generator.Generate([[999]], new GenerationOptions { MaxNewTokens = 4 }));
        Assert.Throws<EngineException>(() => generator.Generate([PromptA], new GenerationOptions { MaxNewTokens = 500 }));
        Assert.Throws<EngineException>(() => generator.Generate([PromptA], new GenerationOptions { CompactBelow = 1.5 }));
    }

    [Fact]
    public void Live_tensor_count_does_not_grow_with_decode_steps()
    {
        using var model = Model(maxPositions: 512);
        var generator = new TokenGenerator(model);
        var stats = DisposeScopeManager.Statistics;
        generator.Generate([PromptA, PromptB], new GenerationOptions { MaxNewTokens = 5, Seed = 1 });
        var before = stats.ThreadTotalLiveCount;
        var result = generator.Generate([PromptA, PromptB], new GenerationOptions { MaxNewTokens = 200, Seed = 1 });
        var after = stats.ThreadTotalLiveCount;
        Assert.Equal(200, result[0].TokenIds.Count);
        Assert.True(before > 0, "the counter sees the model's parameters");
        Assert.True(after - before <= 2, $"live tensors grew from {before} to {after}");
    }
}
