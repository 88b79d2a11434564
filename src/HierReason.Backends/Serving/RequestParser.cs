using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Engine.Chat;
using HierReason.Engine.Tokenizers;

namespace HierReason.Backends.Serving;

/// <summary>
/// Reads and validates an OpenAI completions or chat request body (already checked by <see cref="RequestBody"/>); every
/// refusal is an <see cref="OpenAiError"/> naming the parameter. Sizes taken from a request are checked in 64 bits, and
/// the counts (n, prompts, stop strings) are bounded before anything is allocated in proportion to them.
/// </summary>
/// <remarks>
/// lm-evaluation-harness's <c>local-completions</c> model is the client the completions fields were shaped for: its
/// log-likelihood requests send a batch of token-id prompts (context + continuation) with <c>echo: true</c>,
/// <c>max_tokens: 1</c>, <c>logprobs: 1</c>, <c>temperature: 0</c> and a <c>seed</c>, then read
/// <c>choices[i].logprobs.token_logprobs[ctxlen:-1]</c> and <c>top_logprobs[ctxlen:-1]</c> (choices sorted by <c>index</c>);
/// its generation requests send <c>prompt</c>, <c>max_tokens</c>, <c>temperature</c>, <c>stop</c> and <c>seed</c> and read <c>choices[i].text</c>.
/// </remarks>
internal sealed class RequestParser(ServedModels models, int maxChoices, int maxStops)
{
    private const int MaxStopLength = 256;
    /// <summary>The most alternatives per token: OpenAI's bound for chat's top_logprobs, and vLLM's default for completions.</summary>
    public const int MaxTopLogProbs = 20;
    private long _requests;

    public GenerationRequest Parse(RequestKind kind, JsonObject o, CancellationToken aborted)
    {
        var modelName = String(o, "model") ?? throw OpenAiError.BadRequest("'model' is required.", "model");
        var model = models.Find(modelName)
            ?? throw new OpenAiError(404, $"The model '{modelName}' does not exist. Served models: {string.Join(", ", models.Names)}.", "model", "model_not_found", "not_found_error");

        var n = Integer(o, "n") ?? 1;
        if (n < 1 || n > maxChoices) throw OpenAiError.BadRequest($"'n' must be between 1 and {maxChoices} (found {n}).", "n");
        var stream = Bool(o, "stream") ?? false;
        // echo is a legacy completions field; chat has no such parameter and ignores it like any unknown field.
        var echo = kind == RequestKind.Completion && (Bool(o, "echo") ?? false);
        if (echo && stream) throw OpenAiError.BadRequest("'echo' cannot be combined with 'stream': ask for the whole response.", "echo");
        IReadOnlyList<int[]> prompts;
        IReadOnlyList<string>? echoTexts = null;
        if (kind == RequestKind.Chat)
        {
            prompts = [model.Local.EncodeChat(Messages(o))];
        }
        else
        {
            var tokenizer = model.Local.Tokenizer;
            var inputs = Prompts(o, tokenizer, model.Name);
            if (n * inputs.Count > maxChoices)
                throw OpenAiError.BadRequest($"At most {maxChoices} completions per request; n × prompts is {n} × {inputs.Count} = {n * inputs.Count}.", "n");
            prompts = inputs.Select(p => p.Ids).ToArray();
            // A text prompt echoes as sent; a token prompt as its ids decode.
            if (echo) echoTexts = inputs.Select(p => p.Text ?? tokenizer.Decode(p.Ids)).ToArray();
        }
        if (prompts.Any(p => p.Length == 0)) throw OpenAiError.BadRequest("A prompt encodes to no tokens; give at least one character.", "prompt");

        var maxTokens = MaxTokens(kind, o, model.Local.Info.MaxContext, prompts.Max(p => p.Length), echo);
        var (logProbs, topLogProbs) = LogProbs(kind, o);
        var temperature = Number(o, "temperature") ?? 1.0;
        if (temperature is < 0 or > 2) throw OpenAiError.BadRequest($"'temperature' must be in [0, 2] (found {temperature}).", "temperature");
        var topP = Number(o, "top_p") ?? 1.0;
        if (!(topP > 0 && topP <= 1)) throw OpenAiError.BadRequest($"'top_p' must be in (0, 1] (found {topP}).", "top_p");
        var topK = Integer(o, "top_k") ?? 0;
        if (topK < -1 || topK > int.MaxValue) throw OpenAiError.BadRequest($"'top_k' must be -1, 0 (no limit) or a positive int32 (found {topK}).", "top_k");

        var choice = ChoiceFormat.Parse(o["response_format"]);
        // A choice's reply is always one whole candidate: its budget is the longest candidate, whatever max_tokens said.
        if (choice is not null && (echo || topLogProbs > 0))
            throw OpenAiError.BadRequest("A json_schema 'response_format' cannot be combined with 'echo' or with alternatives in 'logprobs'/'top_logprobs'.", "response_format");
        if (choice is not null) maxTokens = ChoiceDecoder.Candidates(model.Local, choice, kind == RequestKind.Chat).Max(c => c.Length);

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
            EchoTexts = echoTexts,
            N = (int)n,
            MaxTokens = maxTokens,
            Temperature = temperature,
            TopP = topP,
            TopK = (int)Math.Max(topK, 0),
            Seed = Integer(o, "seed"),
            Stop = Stops(o),
            LogProbs = logProbs,
            TopLogProbs = topLogProbs,
            Choice = choice,
            Stream = stream,
            StreamUsage = streamUsage,
            Aborted = aborted,
            Deltas = stream ? System.Threading.Channels.Channel.CreateUnbounded<StreamDelta>(new() { SingleReader = true, SingleWriter = true }) : null,
        };
    }

    /// <summary>The request's token budget, checked alone against the context (in 64 bits: int-max budgets must not wrap).</summary>
    /// <remarks>0 is accepted with echo: the prompt is scored and nothing is generated.</remarks>
    private static int MaxTokens(RequestKind kind, JsonObject o, int context, int longest, bool echo)
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
        if (requested < (echo ? 0 : 1))
            throw OpenAiError.BadRequest(echo
                ? $"'{param}' must be at least 0 (found {requested})."
                : $"'{param}' must be at least 1 (found {requested}); 0 is accepted only with 'echo': true, to score the prompt.", param);
        if (longest + requested > context)
            throw OpenAiError.BadRequest(
                $"This model's maximum context length is {context} tokens; the prompt has {longest} tokens and {param} asks for {requested}.",
                param, "context_length_exceeded");
        return (int)requested.Value;
    }

    /// <summary>Whether log-probabilities are asked for, and how many alternatives per token.</summary>
    private static (bool LogProbs, int Top) LogProbs(RequestKind kind, JsonObject o)
    {
        if (kind == RequestKind.Chat)
        {
            var on = Bool(o, "logprobs") ?? false;
            var top = Integer(o, "top_logprobs");
            if (top is < 0 or > MaxTopLogProbs) throw OpenAiError.BadRequest($"'top_logprobs' must be in [0, {MaxTopLogProbs}] (found {top}).", "top_logprobs");
            if (top is not null && !on) throw OpenAiError.BadRequest("'top_logprobs' needs 'logprobs': true.", "top_logprobs");
            return (on, (int)(top ?? 0));
        }
        // Legacy completions: logprobs is the number of alternatives; any value returns the tokens' own log-probabilities.
        var count = Integer(o, "logprobs");
        if (count is < 0 or > MaxTopLogProbs) throw OpenAiError.BadRequest($"'logprobs' must be in [0, {MaxTopLogProbs}] (found {count}).", "logprobs");
        return (count is not null, (int)(count ?? 0));
    }

    /// <summary>
    /// A string, an array of strings, an array of token ids, or an array of token-id arrays (a batch; strings and id
    /// arrays may mix). Text is encoded with the tokenizer's special tokens; ids are taken as given. Text is null for id prompts.
    /// </summary>
    private IReadOnlyList<(int[] Ids, string? Text)> Prompts(JsonObject o, ITokenizer tokenizer, string model)
    {
        switch (o["prompt"])
        {
            case null: throw OpenAiError.BadRequest("'prompt' is required.", "prompt");
            case JsonValue v when v.GetValueKind() == JsonValueKind.String: return [Text(v.GetValue<string>(), tokenizer)];
            case JsonArray { Count: > 0 } a when a[0] is JsonValue first && first.GetValueKind() == JsonValueKind.Number:
                return [(TokenIds(a, "prompt", tokenizer, model), null)];
            case JsonArray { Count: > 0 } a:
                // Every prompt is at least one completion, so the completions cap bounds the prompts too.
                if (a.Count > maxChoices) throw OpenAiError.BadRequest($"At most {maxChoices} prompts per request (found {a.Count}).", "prompt");
                return a.Select((e, i) => e switch
                {
                    JsonValue ev when ev.GetValueKind() == JsonValueKind.String => Text(ev.GetValue<string>(), tokenizer),
                    JsonArray ids => (TokenIds(ids, $"prompt[{i}]", tokenizer, model), (string?)null),
                    _ => throw OpenAiError.BadRequest($"'prompt[{i}]' must be a string or an array of token ids.", $"prompt[{i}]"),
                }).ToArray();
            default:
                throw OpenAiError.BadRequest("'prompt' must be a string, an array of strings, an array of token ids, or an array of token-id arrays.", "prompt");
        }
    }

    private static (int[] Ids, string? Text) Text(string prompt, ITokenizer tokenizer) => (tokenizer.Encode(prompt, addSpecial: true), prompt);

    /// <summary>A non-empty array of integers, each an id of the model's tokenizer.</summary>
    private static int[] TokenIds(JsonArray a, string param, ITokenizer tokenizer, string model)
    {
        if (a.Count == 0) throw OpenAiError.BadRequest($"'{param}' is an empty token-id prompt; give at least one token id.", param);
        var ids = new int[a.Count];
        for (var j = 0; j < a.Count; j++)
        {
            var at = $"{param}[{j}]";
            long? id = a[j] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var exact) ? exact : null;
            if (id is null)
                throw OpenAiError.BadRequest($"'{at}' must be an integer token id (found {a[j]?.ToJsonString() ?? "null"}); a token-id prompt holds only integers.", at);
            if (id < 0 || id >= tokenizer.VocabSize)
                throw OpenAiError.BadRequest($"'{at}' is {id}, which is not a token id of model '{model}': ids lie in [0, {tokenizer.VocabSize}).", at, "invalid_token_id");
            ids[j] = (int)id;
        }
        return ids;
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
