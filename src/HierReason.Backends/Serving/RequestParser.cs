using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Engine.Chat;

namespace HierReason.Backends.Serving;

/// <summary>Reads and validates an OpenAI completions or chat request body; every refusal is an <see cref="OpenAiError"/> naming the parameter.</summary>
internal sealed class RequestParser(ServedModels models, int maxChoices)
{
    private long _requests;

    public GenerationRequest Parse(RequestKind kind, JsonNode? body, CancellationToken aborted)
    {
        if (body is not JsonObject o) throw OpenAiError.BadRequest("The request body must be a JSON object.");
        var modelName = String(o, "model") ?? throw OpenAiError.BadRequest("'model' is required.", "model");
        var model = models.Find(modelName)
            ?? throw new OpenAiError(404, $"The model '{modelName}' does not exist. Served models: {string.Join(", ", models.Names)}.", "model", "model_not_found", "not_found_error");

        var prompts = kind == RequestKind.Chat ? [model.Local.EncodeChat(Messages(o))] : Prompts(o).Select(p => model.Local.Tokenizer.Encode(p, addSpecial: true)).ToArray();
        if (prompts.Any(p => p.Length == 0)) throw OpenAiError.BadRequest("A prompt encodes to no tokens; give at least one character.", "prompt");

        var context = model.Local.Info.MaxContext;
        var longest = prompts.Max(p => p.Length);
        var maxTokens = Int(o, "max_tokens") ?? (kind == RequestKind.Chat ? Int(o, "max_completion_tokens") : null)
            ?? (kind == RequestKind.Chat ? context - longest : 16);
        if (maxTokens < 1)
        {
            if (Int(o, "max_tokens") is null && kind == RequestKind.Chat)
                throw OpenAiError.BadRequest($"The prompt has {longest} tokens, which fills the model's context of {context}.", "messages", "context_length_exceeded");
            throw OpenAiError.BadRequest($"'max_tokens' must be at least 1 (found {maxTokens}).", "max_tokens");
        }
        if (longest + maxTokens > context)
            throw OpenAiError.BadRequest(
                $"This model's maximum context length is {context} tokens; the prompt has {longest} tokens and max_tokens asks for {maxTokens}.",
                "max_tokens", "context_length_exceeded");

        var n = Int(o, "n") ?? 1;
        if (n < 1) throw OpenAiError.BadRequest($"'n' must be at least 1 (found {n}).", "n");
        if (n * prompts.Length > maxChoices) throw OpenAiError.BadRequest($"At most {maxChoices} completions per request (n × prompts = {n * prompts.Length}).", "n");
        var temperature = Number(o, "temperature") ?? 1.0;
        if (temperature is < 0 or > 2) throw OpenAiError.BadRequest($"'temperature' must be in [0, 2] (found {temperature}).", "temperature");
        var topP = Number(o, "top_p") ?? 1.0;
        if (!(topP > 0 && topP <= 1)) throw OpenAiError.BadRequest($"'top_p' must be in (0, 1] (found {topP}).", "top_p");
        var topK = Int(o, "top_k") ?? 0;
        if (topK < -1) throw OpenAiError.BadRequest($"'top_k' must be -1, 0 (no limit) or positive (found {topK}).", "top_k");

        var stream = Bool(o, "stream") ?? false;
        var streamUsage = o["stream_options"] is JsonObject so && (Bool(so, "include_usage") ?? false);
        return new GenerationRequest
        {
            Id = Interlocked.Increment(ref _requests),
            Kind = kind,
            Model = model.Name,
            Prompts = prompts,
            N = n,
            MaxTokens = maxTokens,
            Temperature = temperature,
            TopP = topP,
            TopK = Math.Max(topK, 0),
            Seed = Long(o, "seed"),
            Stop = Stops(o),
            LogProbs = LogProbs(kind, o),
            Stream = stream,
            StreamUsage = streamUsage,
            Aborted = aborted,
            Deltas = stream ? System.Threading.Channels.Channel.CreateUnbounded<StreamDelta>(new() { SingleReader = true, SingleWriter = true }) : null,
        };
    }

    private static bool LogProbs(RequestKind kind, JsonObject o)
    {
        if (kind == RequestKind.Chat) return Bool(o, "logprobs") ?? false;
        // Legacy completions: logprobs is the number of alternatives (0–5); any value returns the sampled tokens' log-probabilities.
        var count = Int(o, "logprobs");
        if (count is < 0 or > 5) throw OpenAiError.BadRequest($"'logprobs' must be in [0, 5] (found {count}).", "logprobs");
        return count is not null;
    }

    private static IReadOnlyList<string> Prompts(JsonObject o)
    {
        switch (o["prompt"])
        {
            case null: throw OpenAiError.BadRequest("'prompt' is required.", "prompt");
            case JsonValue v when v.TryGetValue<string>(out var s): return [s];
            case JsonArray a when a.Count > 0 && a.All(e => e is JsonValue ev && ev.TryGetValue<string>(out _)):
                return a.Select(e => e!.GetValue<string>()).ToArray();
            default: throw OpenAiError.BadRequest("'prompt' must be a string or a non-empty array of strings.", "prompt");
        }
    }

    private static IReadOnlyList<ChatMessage> Messages(JsonObject o)
    {
        if (o["messages"] is not JsonArray a || a.Count == 0) throw OpenAiError.BadRequest("'messages' must be a non-empty array.", "messages");
        var messages = new List<ChatMessage>();
        for (var i = 0; i < a.Count; i++)
        {
            var param = $"messages[{i}]";
            if (a[i] is not JsonObject m) throw OpenAiError.BadRequest($"'{param}' must be an object.", param);
            var role = String(m, "role", param + ".role") ?? throw OpenAiError.BadRequest($"'{param}.role' is required.", param + ".role");
            if (role is not ("system" or "user" or "assistant" or "developer"))
                throw OpenAiError.BadRequest($"'{param}.role' must be system, user, assistant or developer (found '{role}').", param + ".role");
            messages.Add(new ChatMessage(role == "developer" ? "system" : role, Content(m["content"], param + ".content")));
        }
        return messages;
    }

    private static string Content(JsonNode? content, string param) => content switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        // Content parts: only text parts carry meaning for a text model.
        JsonArray parts when parts.All(p => p is JsonObject po && po["type"]?.GetValue<string>() == "text" && po["text"] is JsonValue) =>
            string.Concat(parts.Select(p => p!["text"]!.GetValue<string>())),
        _ => throw OpenAiError.BadRequest($"'{param}' must be a string or an array of text parts.", param),
    };

    private static IReadOnlyList<string> Stops(JsonObject o) => o["stop"] switch
    {
        null => [],
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        JsonArray a when a.All(e => e is JsonValue ev && ev.TryGetValue<string>(out _)) => a.Select(e => e!.GetValue<string>()).Where(s => s.Length > 0).ToArray(),
        _ => throw OpenAiError.BadRequest("'stop' must be a string or an array of strings.", "stop"),
    };

    private static string? String(JsonObject o, string name, string? param = null) => o[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw OpenAiError.BadRequest($"'{param ?? name}' must be a string.", param ?? name),
    };

    private static bool? Bool(JsonObject o, string name) => o[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw OpenAiError.BadRequest($"'{name}' must be true or false.", name),
    };

    private static double? Number(JsonObject o, string name) => o[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        _ => throw OpenAiError.BadRequest($"'{name}' must be a number.", name),
    };

    private static long? Long(JsonObject o, string name)
    {
        var value = Number(o, name);
        if (value is null) return null;
        if (value != Math.Floor(value.Value) || Math.Abs(value.Value) > 9e15) throw OpenAiError.BadRequest($"'{name}' must be an integer (found {value}).", name);
        return (long)value.Value;
    }

    private static int? Int(JsonObject o, string name)
    {
        var value = Long(o, name);
        if (value is null) return null;
        if (value is > int.MaxValue or < int.MinValue) throw OpenAiError.BadRequest($"'{name}' is out of range (found {value}).", name);
        return (int)value.Value;
    }
}
