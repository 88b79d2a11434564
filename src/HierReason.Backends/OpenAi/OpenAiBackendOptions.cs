using HierReason.Core.Results;

namespace HierReason.Backends.OpenAi;

/// <summary>
/// One OpenAI-compatible endpoint and model (OpenAI, vLLM, Together, <c>hierreason serve</c>), as models.json's
/// <c>base_url</c>, <c>model</c>, <c>api_key_env</c> and <c>max_concurrency</c> give it.
/// </summary>
public sealed record OpenAiBackendOptions
{
    /// <summary>The model's name as users know it (models.json's name); defaults to <see cref="Model"/>.</summary>
    public string? Name { get; init; }

    /// <summary>The API root including its version, e.g. <c>https://api.openai.com/v1</c> or <c>http://127.0.0.1:8000/v1</c>.</summary>
    public required string BaseUrl { get; init; }

    /// <summary>The endpoint's model id.</summary>
    public required string Model { get; init; }

    /// <summary>Environment variable holding the API key; null = an endpoint without authentication. The key is never logged.</summary>
    public string? ApiKeyEnv { get; init; }

    /// <summary>Most requests in flight at once.</summary>
    public int MaxConcurrency { get; init; } = 8;

    /// <summary>Longest one attempt of one request may take; a slower attempt counts as a timeout and is retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Retries after the first attempt on 408, 429, 5xx, connection failures and timeouts.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>Backoff before the first retry; doubled each retry, up to <see cref="MaxBackoff"/>, with jitter.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How requests are shaped: the max-tokens field, which sampling fields are sent, reasoning effort, extra body fields,
    /// extra headers, completions per request (<see cref="OpenAiRequestSettings.N"/>: 1 for endpoints without <c>n</c>) and,
    /// when its <see cref="OpenAiRequestSettings.TimeoutSeconds"/> is set, the per-attempt timeout (it then replaces
    /// <see cref="RequestTimeout"/>). Unset members get <see cref="OpenAiRequestSettings.ForModel"/>'s defaults for <see cref="Model"/>.
    /// </summary>
    public OpenAiRequestSettings Request { get; init; } = new();

    /// <summary>Check the endpoint (GET /models) before the first generation, so a bad key or URL fails early and clearly.</summary>
    public bool Preflight { get; init; } = true;
}
