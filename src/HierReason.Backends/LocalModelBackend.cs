using HierReason.Engine.Chat;
using HierReason.Engine.Inference;

namespace HierReason.Backends;

/// <summary>
/// The local TorchSharp engine behind <see cref="IModelBackend"/>. The engine runs one generation at a time, so calls
/// are serialised; batch by passing many prompts in one call.
/// </summary>
public sealed class LocalModelBackend(string name, LocalModel model, bool ownsModel = true) : IModelBackend
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Name { get; } = name;

    /// <summary>The loaded engine model (tokenizer, chat template, weights).</summary>
    public LocalModel Model { get; } = model;

    public BackendCapabilities Capabilities => new(TokenIds: true, LogProbs: true, MaxContext: Model.Info.MaxContext);

    public Task<IReadOnlyList<IReadOnlyList<Completion>>> CompleteAsync(IReadOnlyList<string> prompts, SamplingSettings settings, CancellationToken cancellationToken = default) =>
        settings.Choice is { } choice
            ? RunAsync(() => Chosen(prompts.Select(p => (IReadOnlyList<int>)Model.Tokenizer.Encode(p, addSpecial: true)).ToArray(), choice, chat: false, settings), cancellationToken)
        : settings.FitContext
            ? RunAsync(() => Fitted(prompts.Select(p => (IReadOnlyList<int>)Model.Tokenizer.Encode(p, addSpecial: true)).ToArray(), settings), cancellationToken)
            : RunAsync(() => Model.Generate(prompts, ToEngine(settings)), cancellationToken);

    public Task<IReadOnlyList<IReadOnlyList<Completion>>> ChatAsync(IReadOnlyList<IReadOnlyList<Message>> conversations, SamplingSettings settings, CancellationToken cancellationToken = default)
    {
        var chats = conversations.Select(c => (IReadOnlyList<ChatMessage>)c.Select(m => new ChatMessage(m.Role, m.Content)).ToArray()).ToArray();
        if (settings.Choice is { } choice)
            return RunAsync(() => Chosen(chats.Select(c => (IReadOnlyList<int>)Model.EncodeChat(c)).ToArray(), choice, chat: true, settings), cancellationToken);
        return settings.FitContext
            ? RunAsync(() => Fitted(chats.Select(c => (IReadOnlyList<int>)Model.EncodeChat(c)).ToArray(), settings), cancellationToken)
            : RunAsync(() => Model.GenerateChat(chats, ToEngine(settings)), cancellationToken);
    }

    /// <summary>
    /// <see cref="SamplingSettings.FitContext"/>: the prompts that leave room generate with max_tokens cut to the room after
    /// the longest of them; the others get N empty completions ending in "length".
    /// </summary>
    private IReadOnlyList<IReadOnlyList<TextCompletion>> Fitted(IReadOnlyList<IReadOnlyList<int>> prompts, SamplingSettings settings)
    {
        var context = Model.Info.MaxContext;
        var fits = Enumerable.Range(0, prompts.Count).Where(i => prompts[i].Count < context).ToArray();
        var results = prompts.Select(p => (IReadOnlyList<TextCompletion>)Enumerable.Repeat(new TextCompletion("", [], [], TextCompletion.Length, p.Count), settings.N).ToArray()).ToArray();
        if (fits.Length == 0) return results;
        var room = context - fits.Max(i => prompts[i].Count);
        var generated = Model.GenerateTokens(fits.Select(i => prompts[i]).ToArray(), ToEngine(settings with { MaxTokens = Math.Min(settings.MaxTokens, room) }));
        for (var k = 0; k < fits.Length; k++) results[fits[k]] = generated[k];
        return results;
    }

    /// <summary><see cref="SamplingSettings.Choice"/>: each candidate reply scored, not generated (<see cref="ChoiceDecoder"/>).</summary>
    private IReadOnlyList<IReadOnlyList<TextCompletion>> Chosen(IReadOnlyList<IReadOnlyList<int>> prompts, ChoiceConstraint choice, bool chat, SamplingSettings settings) =>
        ChoiceDecoder.Choose(Model, prompts, choice, chat, settings.N, settings.Temperature, settings.Seed, settings.FitContext);

    private async Task<IReadOnlyList<IReadOnlyList<Completion>>> RunAsync(Func<IReadOnlyList<IReadOnlyList<TextCompletion>>> generate, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // libtorch work is CPU- or GPU-bound and synchronous: keep it off the caller's thread.
            var results = await Task.Run(generate, cancellationToken).ConfigureAwait(false);
            return results.Select(group => (IReadOnlyList<Completion>)group.Select(ToCompletion).ToArray()).ToArray();
        }
        finally
        {
            _gate.Release();
        }
    }

    private static TextGenerationSettings ToEngine(SamplingSettings s) => new()
    {
        N = s.N,
        Temperature = s.Temperature,
        TopP = s.TopP,
        TopK = s.TopK,
        MaxNewTokens = s.MaxTokens,
        Stop = s.Stop,
        Seed = s.Seed,
    };

    private static Completion ToCompletion(TextCompletion c) =>
        new(c.Text, c.FinishReason, c.PromptTokens, c.TokenIds.Length, c.TokenIds, c.LogProbs);

    public ValueTask DisposeAsync()
    {
        if (ownsModel) Model.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }
}
