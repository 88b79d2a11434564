using HierReason.Engine.Chat;
using HierReason.Engine.Inference;
using HierReason.Engine.Perf;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Inference;

public class LocalModelTests(TinyModelFolder tiny) : IClassFixture<TinyModelFolder>
{
    private static readonly TextGenerationSettings Greedy = new() { Temperature = 0, MaxNewTokens = 12 };

    [Fact]
    public void Seeded_sampling_of_three_completions_reproduces_with_finish_reasons_and_a_logprob_per_token()
    {
        var settings = new TextGenerationSettings { N = 3, Temperature = 1.0, TopP = 0.95, MaxNewTokens = 10, Seed = 42 };
        var first = tiny.Model.Generate(["The cat"], settings);
        var again = tiny.Model.Generate(["The cat"], settings);

        var completions = Assert.Single(first);
        Assert.Equal(3, completions.Count);
        foreach (var c in completions)
        {
            Assert.Contains(c.FinishReason, new[] { TextCompletion.Stopped, TextCompletion.Length });
            Assert.Equal(c.TokenIds.Length, c.LogProbs.Length);
            Assert.InRange(c.TokenIds.Length, 1, 10);
            Assert.All(c.LogProbs, lp => Assert.True(lp <= 0 && float.IsFinite(lp)));
            Assert.Equal(7, c.PromptTokens);
        }
        Assert.Equal(completions.Select(c => c.TokenIds), again[0].Select(c => c.TokenIds));
        Assert.Equal(completions.Select(c => c.Text), again[0].Select(c => c.Text));
        // Three samples of a near-uniform random model almost surely differ; identical rows would mean the seed is shared per row.
        Assert.True(completions.Select(c => string.Join(",", c.TokenIds)).Distinct().Count() > 1);
    }

    [Fact]
    public void Text_is_the_decoded_tokens_when_no_stop_string_or_eos_ends_it()
    {
        var completion = tiny.Model.Generate(["abc"], Greedy)[0][0];
        Assert.Equal(TextCompletion.Length, completion.FinishReason);
        Assert.Equal(12, completion.TokenIds.Length);
        Assert.Equal(tiny.Model.Tokenizer.Decode(completion.TokenIds), completion.Text);
    }

    [Fact]
    public void Stop_string_cuts_the_text_before_it_and_ends_generation()
    {
        // Seeded sampling rather than greedy: the random model's greedy text is one repeated invalid byte.
        var settings = new TextGenerationSettings { Temperature = 1.0, MaxNewTokens = 24, Seed = 5 };
        var free = tiny.Model.Generate(["Once upon"], settings)[0][0];
        var at = Enumerable.Range(2, free.Text.Length - 3).First(i => !free.Text.Substring(i, 2).Contains('\uFFFD'));
        var stop = free.Text.Substring(at, 2);
        var expected = free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)];

        var stopped = tiny.Model.Generate(["Once upon"], settings with { Stop = [stop, "never-appears-here"] })[0][0];

        Assert.Equal(expected, stopped.Text);
        Assert.Equal(TextCompletion.Stopped, stopped.FinishReason);
        Assert.True(stopped.TokenIds.Length < free.TokenIds.Length);
        Assert.Equal(free.TokenIds[..stopped.TokenIds.Length], stopped.TokenIds);
        Assert.Equal(stopped.TokenIds.Length, stopped.LogProbs.Length);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_end_of_sequence_token_ends_the_completion_and_stays_out_of_its_text(bool withStopStrings)
    {
        using var model = LocalModel.Load(tiny.Folder.Path);
        var eos = model.Tokenizer.EosIds[0];
        // Every embedding row shares a direction that the EOS row holds five times over: with tied weights EOS then wins every step.
        using (no_grad())
        {
            var embedding = model.Model.named_parameters().Single(p => p.name == "model.embed_tokens.weight").parameter;
            var shared = ones(embedding.shape[1]) / Math.Sqrt(embedding.shape[1]);
            embedding.add_(shared);
            embedding[eos].copy_(shared * 5);
        }
        var settings = Greedy with { Stop = withStopStrings ? ["zz"] : [] };

        var completion = model.Generate(["hello"], settings)[0][0];

        Assert.Equal([eos], completion.TokenIds);
        Assert.Equal("", completion.Text);
        Assert.Equal(TextCompletion.Stopped, completion.FinishReason);
        Assert.Single(completion.LogProbs);
    }

    [Fact]
    public void Chat_prompts_are_rendered_with_the_folders_chatml_template()
    {
        IReadOnlyList<ChatMessage> conversation = [ChatMessage.User("hi")];
        Assert.Equal("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", tiny.Model.RenderChat(conversation));

        var chat = tiny.Model.GenerateChat([conversation], Greedy)[0][0];
        var raw = tiny.Model.Generate(["<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"], Greedy)[0][0];

        // Special tokens are one id each: 3 markers + "user\n" + "hi" + "\n" + "assistant\n".
        Assert.Equal(21, chat.PromptTokens);
        Assert.Equal(raw.TokenIds, chat.TokenIds);
        Assert.Equal(raw.Text, chat.Text);
    }

    [Fact]
    public void Greedy_batch_of_prompts_of_different_lengths_equals_each_prompt_alone()
    {
        string[] prompts = ["a", "The quick brown fox", "12 + 30 ="];
        var together = tiny.Model.Generate(prompts, Greedy);
        for (var i = 0; i < prompts.Length; i++)
        {
            var alone = tiny.Model.Generate([prompts[i]], Greedy)[0][0];
            Assert.Equal(alone.TokenIds, together[i][0].TokenIds);
            Assert.Equal(alone.Text, together[i][0].Text);
            Assert.Equal(prompts[i].Length, together[i][0].PromptTokens);
            for (var t = 0; t < alone.LogProbs.Length; t++) Assert.Equal(alone.LogProbs[t], together[i][0].LogProbs[t], 3);
        }
    }

    [Fact]
    public void Info_describes_the_tiny_model_with_its_exact_parameter_count()
    {
        var info = tiny.Model.Info;
        // 4 layers × (attention 98,304 + MLP 294,912 + norms 384) + tied embedding 264 × 192 + final norm 192.
        Assert.Equal(1_625_280, info.ParameterCount);
        Assert.Equal(DecoderCost.Parameters(DecoderShape.Of(tiny.Model.Model.Config)), info.ParameterCount);
        Assert.Equal(new ModelInfo("LlamaForCausalLM", "llama", 1_625_280, "float32", "cpu", "byte", 264, "chatml", 1024), info);
    }

    [Fact]
    public void Stop_ids_hold_the_chat_end_of_turn_and_the_end_of_text_tokens()
    {
        var tokenizer = tiny.Model.Tokenizer;
        Assert.Equal(new[] { tokenizer.TokenToId("<|im_end|>")!.Value, tokenizer.TokenToId("<|endoftext|>")!.Value }, tiny.Model.StopIds);
    }

    [Fact]
    public void Loading_in_bfloat16_converts_the_weights_and_still_generates()
    {
        using var model = LocalModel.Load(tiny.Folder.Path, dtype: ScalarType.BFloat16);
        Assert.Equal("bfloat16", model.Info.DType);
        var completion = model.Generate(["hello"], Greedy with { MaxNewTokens = 4 })[0][0];
        Assert.Equal(4, completion.TokenIds.Length);
    }

    [Fact]
    public void Loading_a_missing_folder_names_it()
    {
        var missing = Path.Combine(tiny.Folder.Path, "nope");
        var error = Assert.Throws<EngineException>(() => LocalModel.Load(missing));
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void Impossible_settings_are_a_user_error()
    {
        Assert.Throws<EngineException>(() => tiny.Model.Generate(["x"], new TextGenerationSettings { N = 0 }));
        Assert.Throws<EngineException>(() => tiny.Model.Generate(["x"], new TextGenerationSettings { MaxNewTokens = 5000 }));
    }
}
