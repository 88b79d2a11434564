using Microsoft.Extensions.Logging;

namespace HierReason.Backends.Serving;

/// <summary>How <c>hierreason serve</c> runs: the model folder, LoRA modules, where it listens, who may call it, how it batches.</summary>
public sealed record ServeOptions
{
    /// <summary>HF-layout model folder (config.json, safetensors, tokenizer files).</summary>
    public required string ModelDir { get; init; }

    /// <summary>The base model's id in requests and /v1/models; null = the folder's name.</summary>
    public string? ServedModelName { get; init; }

    /// <summary>LoRA adapters (PEFT layout) by the model id that selects them, as vLLM's --lora-modules.</summary>
    public IReadOnlyDictionary<string, string> Loras { get; init; } = new Dictionary<string, string>();

    /// <summary>Address to bind; loopback unless told otherwise.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (see <see cref="OpenAiServer.BaseUrl"/>).</summary>
    public int Port { get; init; } = 8000;

    /// <summary>Environment variable holding the bearer token clients must send; null = no authentication.</summary>
    public string? ApiKeyEnv { get; init; }

    public string Device { get; init; } = "cpu";

    /// <summary>Weights dtype; null = the device's default (float32 on CPU).</summary>
    public string? DType { get; init; }

    /// <summary>libtorch intra-op threads, set on the engine thread itself (OpenMP's setting is per thread); null = libtorch's default.</summary>
    public int? Threads { get; init; }

    /// <summary>Most sequences (prompts × n) decoded together in one engine batch.</summary>
    public int MaxBatch { get; init; } = 64;

    /// <summary>How requests share the engine: a running batch that rows join and leave at every token, or batches decoded to their end.</summary>
    public ServeBatching Batching { get; init; } = ServeBatching.Continuous;

    /// <summary>How long the engine waits for one more request to join a batch; each arrival reopens it, up to ten windows in all.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(3);

    /// <summary>Largest request body accepted; larger ones get 413.</summary>
    public long MaxBodyBytes { get; init; } = 1 << 20;

    /// <summary>Most completions one request may ask for (n × prompts); it also bounds n and the number of prompts.</summary>
    public int MaxChoicesPerRequest { get; init; } = 128;

    /// <summary>Most stop strings one request may give (each is matched on every generated token).</summary>
    public int MaxStopStrings { get; init; } = 16;

    /// <summary>Where the server logs; null = nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}

/// <summary><c>serve --batching</c>: how waiting requests are decoded together.</summary>
public enum ServeBatching
{
    /// <summary>Rows join a running batch at the next token and leave it as soon as they end (<see cref="ContinuousBatch"/>).</summary>
    Continuous,

    /// <summary>Waiting requests that share a model and a sampler are decoded as one batch, to its longest row's end.</summary>
    Static,
}
