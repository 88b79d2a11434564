using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.Results;
using HierReason.Core.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace HierReason.Backends.OpenAi;

/// <summary>
/// Any OpenAI-compatible endpoint (OpenAI, vLLM, Together, <c>hierreason serve</c>) behind <see cref="IModelBackend"/>, through
/// the official OpenAI .NET client's pipeline (authentication, transport, logging with the key redacted). Chat goes to
/// /chat/completions and raw prompts to /completions. Both bodies are written here (<see cref="Body"/>) and sent as
/// protocol messages over the client's pipeline, not through the typed <c>ChatClient.CompleteChatAsync</c>: the package
/// (2.15) has no public client for legacy /completions (its LegacyCompletionClient is internal), its
/// <c>ChatCompletionOptions</c> has no public <c>n</c> and its typed <c>ChatMessage</c> drops vLLM's and DeepSeek's
/// <c>reasoning_content</c>; <c>ChatCompletionOptions.Patch</c> could add the missing request fields, but the completions
/// route and the reply's reasoning would still need the hand path, so one path writes both routes.
/// Per model (<see cref="OpenAiRequestSettings"/>): max_tokens or max_completion_tokens, which sampling fields are sent,
/// reasoning_effort, extra body fields, extra headers (values from the environment are redacted like the key),
/// completions per request. Bounded concurrency, a per-attempt timeout and <see cref="RetryPolicy"/> (backoff with jitter)
/// wrap every request; an attempt that outlives the timeout is retried like a 5xx.
/// Every error text it throws or logs passes <see cref="SecretRedactor"/> first: an endpoint may echo the key back.
/// </summary>
public sealed class OpenAiBackend : IModelBackend
{
    private readonly OpenAiBackendOptions _options;
    private readonly ClientPipeline _pipeline;
    private readonly OpenAIModelClient _models;
    private readonly SemaphoreSlim _gate;
    private readonly ILogger _log;
    private readonly Uri _root;
    private readonly SecretRedactor _redactor;
    private readonly OpenAiRequestSettings _request;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;
    private long _promptTokens, _completionTokens, _reasoningTokens, _requests;

    private OpenAiBackend(OpenAiBackendOptions options, ApiKeyCredential key, IReadOnlyList<KeyValuePair<string, string>> headers, SecretRedactor redactor, ILoggerFactory loggers)
    {
        _options = options;
        _redactor = redactor;
        _request = options.Request.ForModel(options.Model);
        _headers = headers;
        _log = loggers.CreateLogger("HierReason.Backends.OpenAi");
        _root = new Uri(options.BaseUrl.TrimEnd('/') + "/");
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = new Uri(options.BaseUrl.TrimEnd('/')),
            // RetryPolicy below is the only retry layer; the client's own would multiply attempts.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.RequestTimeout + TimeSpan.FromSeconds(5),
            ClientLoggingOptions = new ClientLoggingOptions { LoggerFactory = loggers },
        };
        var chat = new ChatClient(options.Model, key, clientOptions);
        _pipeline = chat.Pipeline;
        _models = new OpenAIModelClient(key, clientOptions);
        _gate = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        Retry = new RetryPolicy(options.MaxRetries, options.InitialBackoff, options.MaxBackoff, options.RequestTimeout, _log, redactor);
    }

    public string Name => _options.Name ?? _options.Model;

    public BackendCapabilities Capabilities => new(TokenIds: false, LogProbs: true, MaxContext: null);

    /// <summary>The retry policy (its <see cref="RetryPolicy.Retries"/> counts retries made).</summary>
    public RetryPolicy Retry { get; }

    /// <summary>Tokens the endpoint reported using so far (reasoning tokens where it reports them), and requests that succeeded.</summary>
    public TokenUsage Usage => new(Interlocked.Read(ref _promptTokens), Interlocked.Read(ref _completionTokens), Interlocked.Read(ref _requests), Retry.Retries,
        Interlocked.Read(ref _reasoningTokens));

    /// <summary>
    /// Reads the key from <see cref="OpenAiBackendOptions.ApiKeyEnv"/> (and header values from their variables) and, unless
    /// switched off, checks the endpoint with GET /models: a missing key or header variable, an unreachable endpoint, a
    /// rejected key or a model the endpoint does not serve throws
    /// <see cref="HierReasonException"/> with a message saying which, before anything is generated.
    /// </summary>
    public static async Task<OpenAiBackend> CreateAsync(OpenAiBackendOptions options, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        var who = $"model '{options.Name ?? options.Model}'";
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new HierReasonException($"{who}: base_url '{options.BaseUrl}' is not an http(s) URL");
        if (options.MaxConcurrency < 1) throw new HierReasonException($"{who}: max_concurrency must be at least 1 (found {options.MaxConcurrency})");
        if (options.MaxRetries < 0) throw new HierReasonException($"{who}: max_retries must be >= 0 (found {options.MaxRetries})");
        if (options.Request.TimeoutSeconds is { } seconds) options = options with { RequestTimeout = TimeSpan.FromSeconds(seconds) };
        if (options.RequestTimeout <= TimeSpan.Zero) throw new HierReasonException($"{who}: the request timeout must be positive");
        CheckRequest(options.Request, who);
        string key;
        var secrets = new List<string>();
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in options.Request.Headers ?? new Dictionary<string, string>()) headers.Add(new(name, value));
        foreach (var (name, variable) in options.Request.HeaderEnv ?? new Dictionary<string, string>())
        {
            var value = Environment.GetEnvironmentVariable(variable) ?? "";
            if (value.Length == 0) throw new HierReasonException($"{who}: header {name} reads the environment variable {variable}, which is not set");
            headers.Add(new(name, value));
            secrets.Add(value);
        }
        if (options.ApiKeyEnv is { } env)
        {
            key = Environment.GetEnvironmentVariable(env) ?? "";
            if (key.Length == 0) throw new HierReasonException($"{who}: api_key_env names {env}, but the environment variable {env} is not set");
            secrets.Add(key);
        }
        else
        {
            // The client insists on a credential; endpoints without authentication ignore it.
            key = "none";
        }
        var backend = new OpenAiBackend(options, new ApiKeyCredential(key), headers, new SecretRedactor(secrets), loggers ?? NullLoggerFactory.Instance);
        if (options.Preflight) await backend.PreflightAsync(cancellationToken).ConfigureAwait(false);
        return backend;
    }

    /// <summary>The checks models.json makes, for settings built in code: a bad field name or a reserved body key or header throws.</summary>
    private static void CheckRequest(OpenAiRequestSettings request, string who)
    {
        if (request.MaxTokensField is { } field && !OpenAiRequestSettings.MaxTokensFields.Contains(field))
            throw new HierReasonException($"{who}: max_tokens_field must be one of {string.Join(", ", OpenAiRequestSettings.MaxTokensFields)} (found '{field}')");
        if (request.Sampling?.FirstOrDefault(f => !OpenAiRequestSettings.SamplingFields.Contains(f)) is { } unknown)
            throw new HierReasonException($"{who}: sampling may list {string.Join(", ", OpenAiRequestSettings.SamplingFields)} (found '{unknown}')");
        if (request.ExtraBody?.Select(p => p.Key).FirstOrDefault(OpenAiRequestSettings.ReservedBodyKeys.Contains) is { } reserved)
            throw new HierReasonException($"{who}: extra_body may not set '{reserved}' (the client writes {string.Join(", ", OpenAiRequestSettings.ReservedBodyKeys)})");
        var headerNames = (request.Headers?.Keys ?? []).Concat(request.HeaderEnv?.Keys ?? []).ToArray();
        if (headerNames.FirstOrDefault(h => OpenAiRequestSettings.ReservedHeaders.Contains(h, StringComparer.OrdinalIgnoreCase)) is { } header)
            throw new HierReasonException($"{who}: headers may not set {header} (the client sets it)");
        if (request.N is < 1) throw new HierReasonException($"{who}: n must be at least 1 (found {request.N})");
    }

    /// <summary>
    /// How long the preflight waits: the per-attempt timeout, but at least 10 s (the first connection of a process
    /// on a loaded machine can take longer than a short completion timeout) and at most 30 s.
    /// </summary>
    public static TimeSpan PreflightTimeout(TimeSpan requestTimeout) =>
        TimeSpan.FromTicks(Math.Clamp(requestTimeout.Ticks, TimeSpan.FromSeconds(10).Ticks, TimeSpan.FromSeconds(30).Ticks));

    /// <summary>GET /models once, without retries: the endpoint answers, accepts the key, and serves the model.</summary>
    public async Task PreflightAsync(CancellationToken cancellationToken = default)
    {
        var who = $"model '{Name}' at {_options.BaseUrl}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PreflightTimeout(_options.RequestTimeout));
        OpenAIModelCollection list;
        try
        {
            list = (await _models.GetModelsAsync(timeout.Token).ConfigureAwait(false)).Value;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Error($"{who}: the endpoint did not answer GET /models in time");
        }
        catch (ClientResultException e) when (e.Status == 0)
        {
            throw Error($"{who}: cannot reach the endpoint ({e.InnerException?.Message ?? e.Message})");
        }
        catch (ClientResultException e) when (e.Status is 401 or 403)
        {
            throw Error($"{who}: the endpoint rejected the API key{(_options.ApiKeyEnv is { } env ? $" from {env}" : " (none configured: set api_key_env)")} (HTTP {e.Status})");
        }
        catch (ClientResultException e)
        {
            throw Error($"{who}: GET /models failed with HTTP {e.Status}: {ErrorMessage(e)}");
        }
        if (list.Count > 0 && !list.Any(m => m.Id == _options.Model))
            throw Error($"{who}: the endpoint does not serve '{_options.Model}' (it serves {string.Join(", ", list.Take(20).Select(m => m.Id))})");
    }

    public async Task<IReadOnlyList<IReadOnlyList<Completion>>> CompleteAsync(IReadOnlyList<string> prompts, SamplingSettings settings, CancellationToken cancellationToken = default)
    {
        var tasks = prompts.Select(p => GenerateAsync("completions", new JsonObject { ["prompt"] = p }, settings, cancellationToken));
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<IReadOnlyList<Completion>>> ChatAsync(IReadOnlyList<IReadOnlyList<Message>> conversations, SamplingSettings settings, CancellationToken cancellationToken = default)
    {
        var tasks = conversations.Select(c =>
        {
            var messages = new JsonArray(c.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content }).ToArray());
            return GenerateAsync("chat/completions", new JsonObject { ["messages"] = messages }, settings, cancellationToken);
        });
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>
    /// n completions of one prompt or conversation: one request with n, or, when the model's <c>n</c> setting is smaller,
    /// requests of at most that many (a seeded request's seed is offset by its first sample's index, so they differ).
    /// </summary>
    private async Task<IReadOnlyList<Completion>> GenerateAsync(string route, JsonObject input, SamplingSettings settings, CancellationToken cancellationToken)
    {
        if (settings.N < 1) throw new HierReasonException($"model '{Name}': n must be at least 1 (found {settings.N})");
        var perRequest = _request.N ?? settings.N;
        if (settings.N <= perRequest) return await SendAsync(route, Body(route, input, settings, settings.N), settings.N, cancellationToken).ConfigureAwait(false);
        var requests = Enumerable.Range(0, (settings.N + perRequest - 1) / perRequest).Select(r =>
        {
            var first = r * perRequest;
            var count = Math.Min(perRequest, settings.N - first);
            var s = settings.Seed is { } seed ? settings with { Seed = seed + first } : settings;
            return SendAsync(route, Body(route, input.DeepClone().AsObject(), s, count), count, cancellationToken);
        });
        return (await Task.WhenAll(requests).ConfigureAwait(false)).SelectMany(c => c).ToArray();
    }

    /// <summary>
    /// The request body: model, the input (prompt or messages), n, the sampling fields the model takes, the token limit
    /// under the model's field name (legacy /completions only knows max_tokens), stop, seed, logprobs, the choice's
    /// response_format, reasoning_effort, and last the model's extra_body (its keys replace any written before).
    /// </summary>
    private JsonObject Body(string route, JsonObject input, SamplingSettings s, int n)
    {
        var chat = route.StartsWith("chat", StringComparison.Ordinal);
        var body = new JsonObject { ["model"] = _options.Model };
        foreach (var (k, v) in input.ToArray())
        {
            input.Remove(k);
            body[k] = v;
        }
        body["n"] = n;
        if (_request.Sampling!.Contains("temperature")) body["temperature"] = s.Temperature;
        if (_request.Sampling!.Contains("top_p")) body["top_p"] = s.TopP;
        body[chat ? _request.MaxTokensField! : "max_tokens"] = s.MaxTokens;
        if (s.Stop.Count > 0) body["stop"] = new JsonArray(s.Stop.Select(x => (JsonNode)x).ToArray());
        if (s.Seed is { } seed) body["seed"] = seed;
        if (s.LogProbs) body["logprobs"] = chat ? true : 0;
        // Sent to /completions too: OpenAI's legacy route ignores it, vLLM and hierreason serve honour it.
        if (s.Choice is { } choice) body["response_format"] = ResponseFormat(choice.Validated());
        if (_request.ReasoningEffort is { } effort) body["reasoning_effort"] = effort;
        foreach (var (k, v) in _request.ExtraBody ?? []) body[k] = v?.DeepClone();
        return body;
    }

    /// <summary>A constrained choice as OpenAI's structured output: a strict json_schema with one string enum property, required.</summary>
    public static JsonObject ResponseFormat(ChoiceConstraint choice) => new()
    {
        ["type"] = "json_schema",
        ["json_schema"] = new JsonObject
        {
            ["name"] = "choice",
            ["strict"] = true,
            ["schema"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject
                {
                    [choice.Field] = new JsonObject
                    {
                        ["type"] = "string",
                        ["enum"] = new JsonArray(choice.Values.Select(v => (JsonNode)v).ToArray()),
                    },
                },
                ["required"] = new JsonArray(choice.Field),
                ["additionalProperties"] = false,
            },
        },
    };

    private async Task<IReadOnlyList<Completion>> SendAsync(string route, JsonObject body, int n, CancellationToken cancellationToken)
    {
        var json = body.ToJsonString();
        var what = $"model '{Name}': POST {route}";
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        JsonNode response;
        try
        {
            response = await Retry.ExecuteAsync(async ct =>
            {
                using var message = _pipeline.CreateMessage();
                message.Request.Method = "POST";
                message.Request.Uri = new Uri(_root, route);
                message.Request.Headers.Set("Content-Type", "application/json");
                message.Request.Headers.Set("Accept", "application/json");
                foreach (var (name, value) in _headers) message.Request.Headers.Set(name, value);
                message.Request.Content = BinaryContent.Create(BinaryData.FromString(json));
                message.Apply(new RequestOptions { CancellationToken = ct });
                await _pipeline.SendAsync(message).ConfigureAwait(false);
                var raw = message.Response!;
                if (raw.IsError) throw new ClientResultException(raw);
                return JsonNode.Parse(raw.Content.ToString())!;
            }, what, cancellationToken).ConfigureAwait(false);
        }
        catch (ClientResultException e)
        {
            throw Error($"{what} failed with HTTP {e.Status}: {ErrorMessage(e)}");
        }
        catch (Exception e) when (e is RetriesExhaustedException or TimeoutException)
        {
            throw Error(e.Message);
        }
        finally
        {
            _gate.Release();
        }
        var latencyMs = Math.Round(clock.Elapsed.TotalMilliseconds, 3);
        return Parse(response, route, n).Select(c => c with { LatencyMs = latencyMs }).ToArray();
    }

    private IReadOnlyList<Completion> Parse(JsonNode response, string route, int n)
    {
        var chat = route.StartsWith("chat", StringComparison.Ordinal);
        var usage = response["usage"];
        var promptTokens = usage?["prompt_tokens"]?.GetValue<int>() ?? 0;
        var completionTokens = usage?["completion_tokens"]?.GetValue<int>() ?? 0;
        Interlocked.Add(ref _reasoningTokens, usage?["completion_tokens_details"]?["reasoning_tokens"] is JsonValue r && r.TryGetValue<long>(out var reasoning) ? reasoning : 0);
        Interlocked.Add(ref _promptTokens, promptTokens);
        Interlocked.Add(ref _completionTokens, completionTokens);
        Interlocked.Increment(ref _requests);

        var choices = (response["choices"] as JsonArray ?? throw new HierReasonException($"model '{Name}': the response has no choices"))
            .Select(c => c!).OrderBy(c => c["index"]?.GetValue<int>() ?? 0).ToArray();
        var texts = choices.Select(c => (chat ? c["message"]?["content"] : c["text"])?.GetValue<string>() ?? "").ToArray();
        var logProbs = choices.Select(c => LogProbs(c["logprobs"], chat)).ToArray();
        // Usage counts completion tokens over all choices; per choice they are exact with log-probabilities (one per token),
        // exact when n = 1, and otherwise shared out in proportion to text length.
        var totalChars = Math.Max(texts.Sum(t => t.Length), 1);
        return choices.Select((c, i) => new Completion(
            texts[i],
            c["finish_reason"]?.GetValue<string>() ?? "stop",
            promptTokens,
            logProbs[i]?.Length ?? (choices.Length == 1 ? completionTokens : (int)Math.Round((double)completionTokens * texts[i].Length / totalChars)),
            TokenIds: null,
            LogProbs: logProbs[i],
            Reasoning: chat ? Reasoning(c["message"]) : null)).ToArray();
    }

    /// <summary>The reasoning beside a chat reply: <c>reasoning_content</c> (vLLM, DeepSeek), else <c>reasoning</c> (newer vLLM, Ollama, OpenRouter); null when neither is a string.</summary>
    private static string? Reasoning(JsonNode? message)
    {
        foreach (var field in (string[])["reasoning_content", "reasoning"])
            if (message?[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
        return null;
    }

    private static float[]? LogProbs(JsonNode? node, bool chat)
    {
        if (node is null) return null;
        if (chat) return (node["content"] as JsonArray)?.Select(t => (float)t!["logprob"]!.GetValue<double>()).ToArray();
        return (node["token_logprobs"] as JsonArray)?.Select(t => t is null ? float.NaN : (float)t.GetValue<double>()).ToArray();
    }

    /// <summary>
    /// A user-facing error with secrets masked. The client's exception is not attached: its message holds the raw
    /// response body, which a stack trace would print whole.
    /// </summary>
    private HierReasonException Error(string message) => new(_redactor.Redact(message));

    private static string ErrorMessage(ClientResultException e)
    {
        try
        {
            var content = e.GetRawResponse()?.Content?.ToString();
            if (!string.IsNullOrEmpty(content) && JsonNode.Parse(content)?["error"]?["message"]?.GetValue<string>() is { } message) return message;
        }
        catch (JsonException) { }
        return e.Message.Split('\n')[0];
    }

    public ValueTask DisposeAsync()
    {
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Tokens an endpoint reported using, requests that succeeded, and retries made; <paramref name="ReasoningTokens"/>
/// counts usage.completion_tokens_details.reasoning_tokens where the endpoint reports it (they are part of the completion tokens).</summary>
public sealed record TokenUsage(long PromptTokens, long CompletionTokens, long Requests, long Retries, long ReasoningTokens = 0);
