namespace HierReason.Backends;

/// <summary>
/// One way to get completions from a model, whatever runs it: the local TorchSharp engine in-process, or an
/// OpenAI-compatible endpoint (OpenAI, vLLM, Together, <c>hierreason serve</c>). Evaluation, training rollouts and the
/// hierarchical strategies all talk to models through this.
/// </summary>
public interface IModelBackend : IAsyncDisposable
{
    /// <summary>The model's name as users know it (models.json's name, or the served model id).</summary>
    string Name { get; }

    /// <summary>What this backend can and cannot do (log-probabilities, token ids, context length).</summary>
    BackendCapabilities Capabilities { get; }

    /// <summary>Completes raw text prompts: for each prompt, <see cref="SamplingSettings.N"/> completions, in order.</summary>
    Task<IReadOnlyList<IReadOnlyList<Completion>>> CompleteAsync(IReadOnlyList<string> prompts, SamplingSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Replies to conversations (the backend applies its chat template): for each, <see cref="SamplingSettings.N"/> completions.</summary>
    Task<IReadOnlyList<IReadOnlyList<Completion>>> ChatAsync(IReadOnlyList<IReadOnlyList<Message>> conversations, SamplingSettings settings, CancellationToken cancellationToken = default);
}

/// <summary>One chat message: role ("system", "user", "assistant") and content.</summary>
public sealed record Message(string Role, string Content);

/// <summary>How to sample: the OpenAI parameters every backend understands.</summary>
public sealed record SamplingSettings
{
    public int N { get; init; } = 1;
    /// <summary>0 = greedy.</summary>
    public double Temperature { get; init; }
    public double TopP { get; init; } = 1.0;
    /// <summary>0 = no limit (local backend only; remote backends ignore it).</summary>
    public int TopK { get; init; }
    public int MaxTokens { get; init; } = 256;
    public IReadOnlyList<string> Stop { get; init; } = [];
    public long? Seed { get; init; }
    /// <summary>Return the log-probability of each sampled token, where the backend can.</summary>
    public bool LogProbs { get; init; }

    /// <summary>
    /// Cut <see cref="MaxTokens"/> to the room the model's context leaves after the batch's longest prompt, instead of
    /// refusing the request; a prompt that fills the context gets an empty completion ending in "length". For episodes,
    /// whose later turns grow toward the context (the local backend honours it; a remote one cannot count tokens).
    /// </summary>
    public bool FitContext { get; init; }

    /// <summary>
    /// Constrain every reply to one of a fixed set of strings, as the JSON <c>{"field": "value"}</c>; null = free text.
    /// The local engine scores each candidate reply (temperature 0 takes the likeliest; otherwise it samples from their
    /// softmax); an OpenAI-compatible endpoint is sent a json_schema <c>response_format</c>. Top-p, top-k, stop strings
    /// and max_tokens do not apply locally: the reply is always one whole candidate.
    /// </summary>
    public ChoiceConstraint? Choice { get; init; }
}

/// <summary>
/// One completion: text (cut before any stop string), why it ended ("stop" or "length"), token counts, and — where the
/// backend has them — the sampled token ids and their log-probabilities; <paramref name="LatencyMs"/>, where the backend
/// times requests, is the wall time of the request that produced it (a remote call, without the wait for a concurrency slot);
/// <paramref name="Reasoning"/> is the reasoning text an endpoint returned beside the answer (vLLM's and DeepSeek's
/// <c>reasoning_content</c>, or <c>reasoning</c>), not part of <paramref name="Text"/>; null when none.
/// </summary>
public sealed record Completion(
    string Text,
    string FinishReason,
    int PromptTokens,
    int CompletionTokens,
    IReadOnlyList<int>? TokenIds = null,
    IReadOnlyList<float>? LogProbs = null,
    double? LatencyMs = null,
    string? Reasoning = null);

/// <summary>What a backend offers.</summary>
/// <param name="MaxContext">Prompt + completion tokens the model accepts; null when unknown (remote).</param>
public sealed record BackendCapabilities(bool TokenIds, bool LogProbs, int? MaxContext);
