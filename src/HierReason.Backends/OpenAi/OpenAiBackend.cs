using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core;
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
/// /chat/completions and raw prompts to /completions; the package has no typed call for legacy completions (nor for
/// <c>n</c>), so both bodies are written here and sent as protocol messages over the client's pipeline.
/// Bounded concurrency, a per-attempt timeout and <see cref="RetryPolicy"/> (backoff with jitter) wrap every request.
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
    private long _promptTokens, _completionTokens, _requests;

    private OpenAiBackend(OpenAiBackendOptions options, ApiKeyCredential key, SecretRedactor redactor, ILoggerFactory loggers)
    {
        _options = options;
        _redactor = redactor;
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

    /// <summary>Tokens the endpoint reported using so far, and requests that succeeded.</summary>
    public TokenUsage Usage => new(Interlocked.Read(ref _promptTokens), Interlocked.Read(ref _completionTokens), Interlocked.Read(ref _requests), Retry.Retries);

    /// <summary>
    /// Reads the key from <see cref="OpenAiBackendOptions.ApiKeyEnv"/> and, unless switched off, checks the endpoint with GET /models:
    /// a missing key, an unreachable endpoint, a rejected key or a model the endpoint does not serve throws
    /// <see cref="HierReasonException"/> with a message saying which, before anything is generated.
    /// </summary>
    public static async Task<OpenAiBackend> CreateAsync(OpenAiBackendOptions options, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        var who = $"model '{options.Name ?? options.Model}'";
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new HierReasonException($"{who}: base_url '{options.BaseUrl}' is not an http(s) URL");
        if (options.MaxConcurrency < 1) throw new HierReasonException($"{who}: max_concurrency must be at least 1 (found {options.MaxConcurrency})");
        if (options.MaxRetries < 0) throw new HierReasonException($"{who}: max_retries must be >= 0 (found {options.MaxRetries})");
        if (options.RequestTimeout <= TimeSpan.Zero) throw new HierReasonException($"{who}: the request timeout must be positive");
        string key;
        var secrets = new List<string>();
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
        var backend = new OpenAiBackend(options, new ApiKeyCredential(key), new SecretRedactor(secrets), loggers ?? NullLoggerFactory.Instance);
        if (options.Preflight) await backend.PreflightAsync(cancellationToken).ConfigureAwait(false);
        return backend;
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

    /// <summary>n completions of one prompt or conversation: one request with n, or n requests of one.</summary>
    private async Task<IReadOnlyList<Completion>> GenerateAsync(string route, JsonObject input, SamplingSettings settings, CancellationToken cancellationToken)
    {
        if (settings.N < 1) throw new HierReasonException($"model '{Name}': n must be at least 1 (found {settings.N})");
        if (_options.UseN || settings.N == 1) return await SendAsync(route, Body(route, input, settings, settings.N), settings.N, cancellationToken).ConfigureAwait(false);
        var single = Enumerable.Range(0, settings.N).Select(i =>
        {
            // Distinct seeds, or the n samples of a seeded request would all be the same.
            var s = settings.Seed is { } seed ? settings with { Seed = seed + i } : settings;
            return SendAsync(route, Body(route, input.DeepClone().AsObject(), s, 1), 1, cancellationToken);
        });
        return (await Task.WhenAll(single).ConfigureAwait(false)).SelectMany(c => c).ToArray();
    }

    private JsonObject Body(string route, JsonObject input, SamplingSettings s, int n)
    {
        var body = new JsonObject { ["model"] = _options.Model };
        foreach (var (k, v) in input.ToArray())
        {
            input.Remove(k);
            body[k] = v;
        }
        body["n"] = n;
        body["temperature"] = s.Temperature;
        body["top_p"] = s.TopP;
        body["max_tokens"] = s.MaxTokens;
        if (s.Stop.Count > 0) body["stop"] = new JsonArray(s.Stop.Select(x => (JsonNode)x).ToArray());
        if (s.Seed is { } seed) body["seed"] = seed;
        if (s.LogProbs)
        {
            if (route.StartsWith("chat", StringComparison.Ordinal)) body["logprobs"] = true;
            else body["logprobs"] = 0;
        }
        // Sent to /completions too: OpenAI's legacy route ignores it, vLLM and hierreason serve honour it.
        if (s.Choice is { } choice) body["response_format"] = ResponseFormat(choice.Validated());
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
            LogProbs: logProbs[i])).ToArray();
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

/// <summary>Tokens an endpoint reported using, requests that succeeded, and retries made.</summary>
public sealed record TokenUsage(long PromptTokens, long CompletionTokens, long Requests, long Retries);
