using HierReason.Backends;

namespace HierReason.Reasoning.Tests.Strategies.PlannerWorker;

/// <summary>
/// The frozen worker's stand-in: replies to each conversation's user message with a scripted text, reporting
/// <see cref="TokensPerReply"/> completion tokens, and records every batched call it gets.
/// </summary>
internal sealed class ScriptedWorker(Func<string, string> reply) : IModelBackend
{
    public const int TokensPerReply = 4;

    /// <summary>The user messages of each call, in order.</summary>
    public List<string[]> Calls { get; } = [];

    public List<SamplingSettings> Settings { get; } = [];

    public string Name => "scripted-worker";

    /// <summary>The scripted reply to <paramref name="message"/> (without recording a call).</summary>
    public string Reply(string message) => reply(message);

    public BackendCapabilities Capabilities => new(false, false, null);

    public Task<IReadOnlyList<IReadOnlyList<Completion>>> ChatAsync(IReadOnlyList<IReadOnlyList<Message>> conversations, SamplingSettings settings, CancellationToken cancellationToken = default)
    {
        var messages = conversations.Select(c => c.Single(m => m.Role == "user").Content).ToArray();
        Calls.Add(messages);
        Settings.Add(settings);
        return Task.FromResult<IReadOnlyList<IReadOnlyList<Completion>>>(
            messages.Select(m => (IReadOnlyList<Completion>)[new Completion(reply(m), "stop", 10, TokensPerReply)]).ToArray());
    }

    public Task<IReadOnlyList<IReadOnlyList<Completion>>> CompleteAsync(IReadOnlyList<string> prompts, SamplingSettings settings, CancellationToken cancellationToken = default)
        => throw new InvalidOperationException("the worker is asked through chat");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
