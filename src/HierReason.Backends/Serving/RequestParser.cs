using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Engine.Chat;

namespace HierReason.Backends.Serving;

/// <summary>
/// Reads and validates an OpenAI completions or chat request body (already checked by <see cref="RequestBody"/>); every
/// refusal is an <see cref="OpenAiError"/> naming the parameter. Sizes taken from a request are checked in 64 bits, and
/// the counts (n, prompts, stop strings) are bounded before anything is allocated in proportion to them.
/// </summary>
internal sealed class RequestParser(ServedModels models, int maxChoices, int maxStops)
{
    private const int MaxStopLength = 256;
    private long _requests;

    public GenerationRequest Parse(RequestKind kind, JsonObject o, CancellationToken aborted)
    {
        var modelName = String(o, "model") ?? throw OpenAiError.BadRequest("'model' is required.", "model");
        var model = models.Find(modelName)
            ?? throw new OpenAiError(404, $"The model '{modelName}' does not exist. Served models: {string.Join(", ", models.Names)}.", "model", "model_not_found", "not_found_error");

        var n = Integer(o, "n") ?? 1;
        if (n < 1 || n > maxChoices) throw OpenAiError.BadRequest($"'n' must be between 1 and {maxChoices} (found {n}).", "n");
        IReadOnlyList<int[]> prompts;
        if (kind == RequestKind.Chat)
        {
            prompts = [model.Local.EncodeChat(Messages(o))];
        }
        else
        {
            var texts = Prompts(o);
            if (n * texts.Count > maxChoices)
                throw OpenAiError.BadRequest($"At most {maxChoices} completions per request; n × prompts is {n} × {texts.Count} = {n * texts.Count}.", "n");
            prompts = texts.Select(p => model.Local.Tokenizer.Encode(p, addSpecial: true)).ToArray();
        }
        if (prompts.Any(p => p.Length == 0)) throw OpenAiError.BadRequest("A prompt encodes to no tokens; give at least one character.", "prompt");

        var maxTokens = MaxTokens(kind, o, model.Local.Info.MaxContext, prompts.Max(p => p.Length));
        var temperature = Number(o, "temperature") ?? 1.0;
        if (temperature is < 0 or > 2) throw OpenAiError.BadRequest($"'temperature' must be in [0, 2] (found {temperature}).", "temperature");
        var topP = Number(o, "top_p") ?? 1.0;
        if (!(topP > 0 && topP <= 1)) throw OpenAiError.BadRequest($"'top_p' must be in (0, 1] (found {topP}).", "top_p");
        var topK = Integer(o, "top_k") ?? 0;
        if (topK < -1 || topK > int.MaxValue) throw OpenAiError.BadRequest($"'top_k' must be -1, 0 (no limit) or a positive int32 (found {topK}).", "top_k");

        var choice = ChoiceFormat.Parse(o["response_format"]);
        // A choice's reply is always one whole candidate: its budget is the longest candidate, whatever max_tokens said.
        if (choice is not null) maxTokens = ChoiceDecoder.Candidates(model.Local, choice, kind == RequestKind.Chat).Max(c => c.Length);

        var stream = Bool(o, "stream") ?? false;
        var streamUsage = o["stream_options"] switch
        {
            null => false,
            JsonObject so => Bool(so, "include_usage", "stream_options.include_usage") ?? false,
            _ => throw OpenAiError.BadRequest("'stream_options' must be an object such as {\"include_usage\": true}.", "stream_options"),
        };
        return new GenerationRequest
        {
            Id = Interlocked.Increment(ref _requests),
            Kind = kind,
            Model = model.Name,
            Prompts = prompts,
            N = (int)n,
            MaxTokens = maxTokens,
            Temperature = temperature,
            TopP = topP,
            TopK = (int)Math.Max(topK, 0),
            Seed = Integer(o, "seed"),
            Stop = Stops(o),
            LogProbs = LogProbs(kind, o),
            Choice = choice,
            Stream = stream,
            StreamUsage = streamUsage,
            Aborted = aborted,
            Deltas = stream ? System.Threading.Channels.Channel.CreateUnbounded<StreamDelta>(new() { SingleReader = true, SingleWriter = true }) : null,
        };
    }

    /// <summary>The request's token budget, checked alone against the context (in 64 bits: int-max budgets must not wrap).</summary>
    private static int MaxTokens(RequestKind kind, JsonObject o, int context, int longest)
    {
        var param = o["max_tokens"] is not null || kind == RequestKind.Completion ? "max_tokens"
            : o["max_completion_tokens"] is not null ? "max_completion_tokens" : null;
        var requested = param is null ? null : Integer(o, param);
        if (requested is null)
        {
            // Completions default to 16 tokens; chat to the rest of the context.
            if (kind == RequestKind.Completion) requested = 16;
            else if (longest >= context)
                throw OpenAiError.BadRequest($"The prompt has {longest} tokens, which fills the model's context of {context}.", "messages", "context_length_exceeded");
            else return context - longest;
        }
        param ??= "max_tokens";
        if (requested < 1) throw OpenAiError.BadRequest($"'{param}' must be at least 1 (found {requested}).", param);
        if (longest + requested > context)
            throw OpenAiError.BadRequest(
                $"This model's maximum context length is {context} tokens; the prompt has {longest} tokens and {param} asks for {requested}.",
                param, "context_length_exceeded");
        return (int)requested.Value;
    }

    private static bool LogProbs(RequestKind kind, JsonObject o)
    {
        if (kind == RequestKind.Chat) return Bool(o, "logprobs") ?? false;
        // Legacy completions: logprobs is the number of alternatives (0–5); any value returns the sampled tokens' log-probabilities.
        var count = Integer(o, "logprobs");
        if (count is < 0 or > 5) throw OpenAiError.BadRequest($"'logprobs' must be in [0, 5] (found {count}).", "logprobs");
        return count is not null;
    }

    private IReadOnlyList<string> Prompts(JsonObject o)
    {
        switch (o["prompt"])
        {
            case null: throw OpenAiError.BadRequest("'prompt' is required.", "prompt");
            case JsonValue v when v.GetValueKind() == JsonValueKind.String: return [v.GetValue<string>()];
            case JsonArray { Count: > 0 } a:
                // Every prompt is at least one completion, so the completions cap bounds the prompts too.
                if (a.Count > maxChoices) throw OpenAiError.BadRequest($"At most {maxChoices} prompts per request (found {a.Count}).", "prompt");
                return a.Select((e, i) => e is JsonValue ev && ev.GetValueKind() == JsonValueKind.String
                    ? ev.GetValue<string>()
                    : throw OpenAiError.BadRequest($"'prompt[{i}]' must be a string (token-id prompts are not supported).", "prompt")).ToArray();
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

    /// <summary>A string, or content parts of which only text parts carry meaning for a text model.</summary>
    private static string Content(JsonNode? content, string param)
    {
        switch (content)
        {
            case null: throw OpenAiError.BadRequest($"'{param}' is required.", param);
            case JsonValue v when v.GetValueKind() == JsonValueKind.String: return v.GetValue<string>();
            case JsonArray parts:
                var text = new StringBuilder();
                for (var i = 0; i < parts.Count; i++)
                {
                    var part = $"{param}[{i}]";
                    if (parts[i] is not JsonObject p) throw OpenAiError.BadRequest($"'{part}' must be an object like {{\"type\": \"text\", \"text\": \"...\"}}.", part);
                    var type = String(p, "type", part + ".type") ?? throw OpenAiError.BadRequest($"'{part}.type' is required.", part + ".type");
                    if (type != "text") throw OpenAiError.BadRequest($"'{part}.type' must be 'text' (found '{type}'): this server serves text models.", part + ".type");
                    text.Append(String(p, "text", part + ".text") ?? throw OpenAiError.BadRequest($"'{part}.text' is required.", part + ".text"));
                }
                return text.ToString();
            default: throw OpenAiError.BadRequest($"'{param}' must be a string or an array of text parts.", param);
        }
    }

    private IReadOnlyList<string> Stops(JsonObject o)
    {
        switch (o["stop"])
        {
            case null: return [];
            case JsonValue v when v.GetValueKind() == JsonValueKind.String: return [StopLength(v.GetValue<string>())];
            case JsonArray a when a.All(e => e is JsonValue ev && ev.GetValueKind() == JsonValueKind.String):
                if (a.Count > maxStops) throw OpenAiError.BadRequest($"At most {maxStops} stop strings per request (found {a.Count}).", "stop");
                return a.Select(e => StopLength(e!.GetValue<string>())).Where(s => s.Length > 0).ToArray();
            default: throw OpenAiError.BadRequest("'stop' must be a string or an array of strings.", "stop");
        }
    }

    // Every row builds its own matcher over the stop strings, with a state per character: long ones multiply by n × prompts.
    private static string StopLength(string stop) => stop.Length <= MaxStopLength ? stop
        : throw OpenAiError.BadRequest($"A stop string may have at most {MaxStopLength} characters (found {stop.Length}).", "stop");

    private static string? String(JsonObject o, string name, string? param = null) => o[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw OpenAiError.BadRequest($"'{param ?? name}' must be a string.", param ?? name),
    };

    private static bool? Bool(JsonObject o, string name, string? param = null) => o[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True,
        _ => throw OpenAiError.BadRequest($"'{param ?? name}' must be true or false.", param ?? name),
    };

    /// <summary>A finite number (1e400 parses as infinity, which no parameter accepts).</summary>
    private static double? Number(JsonObject o, string name) => o[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.TryGetValue<double>(out var d) && double.IsFinite(d)
            ? d
            : throw OpenAiError.BadRequest($"'{name}' is out of range.", name),
        _ => throw OpenAiError.BadRequest($"'{name}' must be a number.", name),
    };

    /// <summary>An integer in 64 bits (1.0 counts as 1); each caller bounds its own range before narrowing.</summary>
    private static long? Integer(JsonObject o, string name)
    {
        if (o[name] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
            return o[name] is null ? null : throw OpenAiError.BadRequest($"'{name}' must be an integer.", name);
        if (v.TryGetValue<long>(out var exact)) return exact;
        if (!v.TryGetValue<double>(out var d) || !double.IsFinite(d) || Math.Abs(d) >= 9e18) throw OpenAiError.BadRequest($"'{name}' is out of range.", name);
        if (d != Math.Floor(d)) throw OpenAiError.BadRequest($"'{name}' must be an integer (found {d}).", name);
        return (long)d;
    }
}
