using HierReason.Engine;
using HierReason.Engine.Inference;

namespace HierReason.Backends.Tests;

/// <summary>SamplingSettings.Choice on the local engine: whole candidate replies, seeded draws that repeat, and the context.</summary>
public sealed class LocalModelBackendChoiceTests : IDisposable
{
    private static readonly ChoiceConstraint Options = new("pick", ["option A", "option B", "option C"]);
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-choice-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Seeded_choices_repeat_and_every_completion_is_a_whole_candidate_ending_in_end_of_sequence()
    {
        LocalModel.InitTiny(_dir, seed: 1);
        await using var backend = new LocalModelBackend("tiny", LocalModel.Load(_dir));
        var settings = new SamplingSettings { N = 16, Temperature = 1.5, Seed = 3, MaxTokens = 1, Stop = ["o"], Choice = Options };

        var first = await backend.CompleteAsync(["Pick:", "Again:"], settings);
        var again = await backend.CompleteAsync(["Pick:", "Again:"], settings);

        Assert.Equal(first.Select(p => p.Select(c => c.Text)), again.Select(p => p.Select(c => c.Text)));
        var eos = backend.Model.Tokenizer.EosIds[0];
        Assert.All(first.SelectMany(p => p), c =>
        {
            Assert.NotNull(Options.Parse(c.Text));
            Assert.Equal(("stop", c.Text.Length + 1, eos), (c.FinishReason, c.CompletionTokens, c.TokenIds![^1]));
            Assert.Equal(c.CompletionTokens, c.LogProbs!.Count);
        });
    }

    [Fact]
    public async Task A_prompt_with_no_room_for_the_reply_is_an_error_or_with_fit_context_an_empty_length_completion()
    {
        LocalModel.InitTiny(_dir, seed: 1);
        await using var backend = new LocalModelBackend("tiny", LocalModel.Load(_dir));
        var full = new string('b', backend.Capabilities.MaxContext!.Value - 10);
        var settings = new SamplingSettings { Temperature = 0, Choice = Options };

        await Assert.ThrowsAsync<EngineException>(() => backend.CompleteAsync([full], settings));

        var fitted = await backend.CompleteAsync(["Pick:", full], settings with { FitContext = true });
        Assert.NotNull(Options.Parse(fitted[0][0].Text));
        Assert.Equal(("", "length", 0), (fitted[1][0].Text, fitted[1][0].FinishReason, fitted[1][0].CompletionTokens));
    }
}
