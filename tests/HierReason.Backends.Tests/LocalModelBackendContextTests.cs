using HierReason.Engine;
using HierReason.Engine.Inference;

namespace HierReason.Backends.Tests;

/// <summary>SamplingSettings.FitContext on the local engine: an episode's late turn near the context is cut, not refused.</summary>
public sealed class LocalModelBackendContextTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-fit-context-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Fit_context_cuts_max_tokens_to_the_room_left_and_answers_a_full_prompt_with_an_empty_length_completion()
    {
        LocalModel.InitTiny(_dir, seed: 1);
        await using var backend = new LocalModelBackend("tiny", LocalModel.Load(_dir));
        var context = backend.Capabilities.MaxContext!.Value;
        // The byte tokenizer: one token per byte (plus any begin-of-sequence token the model adds).
        var near = new string('a', context - 40);
        var full = new string('b', context + 5);
        var settings = new SamplingSettings { MaxTokens = 100, Temperature = 0 };

        await Assert.ThrowsAsync<EngineException>(() => backend.CompleteAsync([near], settings));

        var fitted = await backend.CompleteAsync([near, "short prompt", full], settings with { FitContext = true });
        var room = context - fitted[0][0].PromptTokens;
        Assert.InRange(room, 1, 40);
        // Both generating prompts share the room the longer one leaves (the batch is padded to it).
        Assert.All(fitted.Take(2), c => Assert.InRange(c[0].CompletionTokens, 0, room));
        if (fitted[0][0].FinishReason == "length") Assert.Equal(room, fitted[0][0].CompletionTokens);
        Assert.Equal(("", "length", 0), (fitted[2][0].Text, fitted[2][0].FinishReason, fitted[2][0].CompletionTokens));
    }
}
