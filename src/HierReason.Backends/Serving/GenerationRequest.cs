using System.Threading.Channels;

namespace HierReason.Backends.Serving;

/// <summary>Whether a request came to /v1/completions or /v1/chat/completions (they differ only in shape).</summary>
public enum RequestKind
{
    Completion,
    Chat,
}

/// <summary>A validated generation request, encoded and waiting for the engine.</summary>
internal sealed class GenerationRequest
{
    /// <summary>Unique within one server (the parser numbers requests).</summary>
    public required long Id { get; init; }
    public required RequestKind Kind { get; init; }
    public required string Model { get; init; }
    /// <summary>Encoded prompts (a completions request may carry several).</summary>
    public required IReadOnlyList<int[]> Prompts { get; init; }
    /// <summary>Each prompt as text, set when <c>echo</c> puts it before the completion (a token prompt decoded); null otherwise.</summary>
    public IReadOnlyList<string>? EchoTexts { get; init; }
    public int N { get; init; } = 1;
    public int MaxTokens { get; init; } = 16;
    public double Temperature { get; init; } = 1.0;
    public double TopP { get; init; } = 1.0;
    public int TopK { get; init; }
    public long? Seed { get; init; }
    public IReadOnlyList<string> Stop { get; init; } = [];
    /// <summary>Whether to return the tokens' log-probabilities (with echo, the prompt's too).</summary>
    public bool LogProbs { get; init; }
    /// <summary>How many likeliest alternatives to report at each token (completions' <c>logprobs: N</c>, chat's <c>top_logprobs</c>).</summary>
    public int TopLogProbs { get; init; }
    /// <summary>Whether to return the prompt before the completion (completions' <c>echo</c>).</summary>
    public bool Echo => EchoTexts is not null;
    /// <summary>The reply constrained to one of these values (a json_schema <c>response_format</c>); null = free text.</summary>
    public ChoiceConstraint? Choice { get; init; }
    public bool Stream { get; init; }
    public bool StreamUsage { get; init; }
    public CancellationToken Aborted { get; init; }

    /// <summary>
    /// lm-eval's log-likelihood request (echo, logprobs, one greedy token): one scoring pass over the prompt gives the
    /// prompt's log-probabilities and the greedy token alike, so it is answered without decoding.
    /// </summary>
    public bool OnePass => Choice is null && Echo && LogProbs && MaxTokens == 1 && Temperature == 0 && !Stream;

    /// <summary>Rows the engine decodes for this request: every prompt, n times.</summary>
    public int Rows => checked(Prompts.Count * N);

    public int LongestPrompt => Prompts.Max(p => p.Length);

    /// <summary>The engine's step count when the request started waiting beside a running batch (continuous batching).</summary>
    public long WaitingSinceStep { get; set; }

    /// <summary>Set once the engine has finished the request (or failed it).</summary>
    public TaskCompletionSource<IReadOnlyList<ChoiceResult>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Text as it is generated, for streamed requests.</summary>
    public Channel<StreamDelta>? Deltas { get; init; }

    /// <summary>Whether any delta has gone to the client: such a request cannot be run again without repeating text.</summary>
    public bool HasStreamed { get; private set; }

    /// <summary>Passes a piece of text to a streamed request's client (the engine thread is the only writer).</summary>
    public void Send(StreamDelta delta)
    {
        if (Deltas is null) return;
        HasStreamed = true;
        Deltas.Writer.TryWrite(delta);
    }

    /// <summary>
    /// Requests that may share one engine batch: the same weights and the same sampler. A seeded request runs alone, so its
    /// output does not depend on its neighbours. Choice requests are scored, not decoded: they batch only with each other,
    /// whatever their sampler (each draws from its own random source).
    /// Prompt scoring (echo with max_tokens 0, or <see cref="OnePass"/>) decodes nothing: it batches only with other
    /// scoring requests, seeded or not (nothing is drawn).
    /// </summary>
    public (string Model, bool Choice, bool ScoreOnly, double Temperature, double TopP, int TopK, long Alone) BatchKey =>
        Choice is not null ? (Model, true, false, 0, 1, 0, Seed is null ? 0 : Id)
        : MaxTokens == 0 || OnePass ? (Model, false, true, 0, 1, 0, 0)
        : Temperature == 0
            ? (Model, false, false, 0, 1, 0, Seed is null ? 0 : Id)
            : (Model, false, false, Temperature, TopP, TopK, Seed is null ? 0 : Id);
}

/// <summary>One finished choice: index = prompt × n + sample; <see cref="Text"/> starts with the prompt when echoed, <see cref="TokenIds"/> holds only generated ids.</summary>
internal sealed record ChoiceResult(int Index, string Text, int[] TokenIds, TokenLogProbs? LogProbs, string FinishReason, int PromptTokens);

/// <summary>A piece of streamed text for one choice; <see cref="FinishReason"/> set on its last piece.</summary>
internal readonly record struct StreamDelta(int Index, string Text, string? FinishReason);
