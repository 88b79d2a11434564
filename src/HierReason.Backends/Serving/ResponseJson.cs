using System.Text.Json.Nodes;

namespace HierReason.Backends.Serving;

/// <summary>The OpenAI response shapes: whole completions, streamed chunks, usage.</summary>
internal static class ResponseJson
{
    public static string NewId(RequestKind kind) => (kind == RequestKind.Chat ? "chatcmpl-" : "cmpl-") + Guid.NewGuid().ToString("N")[..24];

    public static JsonObject Completion(GenerationRequest request, string id, long created, IReadOnlyList<ChoiceResult> choices)
    {
        var array = new JsonArray();
        foreach (var c in choices)
        {
            var choice = new JsonObject { ["index"] = c.Index };
            if (request.Kind == RequestKind.Chat)
                choice["message"] = new JsonObject { ["role"] = "assistant", ["content"] = c.Text };
            else
                choice["text"] = c.Text;
            choice["logprobs"] = request.LogProbs ? LogProbs(request.Kind, c) : null;
            choice["finish_reason"] = c.FinishReason;
            array.Add(choice);
        }
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = request.Kind == RequestKind.Chat ? "chat.completion" : "text_completion",
            ["created"] = created,
            ["model"] = request.Model,
            ["choices"] = array,
            ["usage"] = Usage(request, choices),
        };
    }

    /// <summary>Prompt tokens count once per prompt (as OpenAI counts them); completion tokens over every choice.</summary>
    public static JsonObject Usage(GenerationRequest request, IReadOnlyList<ChoiceResult> choices)
    {
        var prompt = request.Prompts.Sum(p => p.Length);
        var completion = choices.Sum(c => c.TokenIds.Length);
        return new JsonObject { ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion };
    }

    public static JsonObject Chunk(GenerationRequest request, string id, long created, StreamDelta delta, bool first)
    {
        var choice = new JsonObject { ["index"] = delta.Index };
        if (request.Kind == RequestKind.Chat)
        {
            var d = new JsonObject();
            if (first) d["role"] = "assistant";
            if (delta.Text.Length > 0 || first) d["content"] = delta.Text;
            choice["delta"] = d;
        }
        else
        {
            choice["text"] = delta.Text;
        }
        choice["logprobs"] = null;
        choice["finish_reason"] = delta.FinishReason;
        return ChunkEnvelope(request, id, created, new JsonArray(choice));
    }

    public static JsonObject UsageChunk(GenerationRequest request, string id, long created, IReadOnlyList<ChoiceResult> choices)
    {
        var chunk = ChunkEnvelope(request, id, created, []);
        chunk["usage"] = Usage(request, choices);
        return chunk;
    }

    private static JsonObject ChunkEnvelope(GenerationRequest request, string id, long created, JsonArray choices) => new()
    {
        ["id"] = id,
        ["object"] = request.Kind == RequestKind.Chat ? "chat.completion.chunk" : "text_completion",
        ["created"] = created,
        ["model"] = request.Model,
        ["choices"] = choices,
    };

    /// <summary>
    /// Chat: <c>{content: [{token, logprob, bytes, top_logprobs}]}</c>. Completions (OpenAI's legacy shape, what lm-eval
    /// reads): <c>{tokens, token_logprobs, top_logprobs, text_offset}</c>, each top_logprobs entry a {token: logprob} map of
    /// the N likeliest tokens plus the chosen one (so up to N + 1 entries, as OpenAI and vLLM answer), null for an echoed
    /// prompt's first token, whose log-probability is null too.
    /// </summary>
    private static JsonObject? LogProbs(RequestKind kind, ChoiceResult c)
    {
        if (c.LogProbs is not { } lp) return null;
        if (kind == RequestKind.Chat)
        {
            var content = new JsonArray();
            for (var i = 0; i < lp.Tokens.Length; i++)
            {
                var top = new JsonArray();
                foreach (var (token, logProb) in lp.Top[i] ?? []) top.Add(new JsonObject { ["token"] = token, ["logprob"] = logProb, ["bytes"] = Bytes(token) });
                content.Add(new JsonObject
                {
                    ["token"] = lp.Tokens[i],
                    ["logprob"] = lp.LogProbs[i],
                    ["bytes"] = Bytes(lp.Tokens[i]),
                    ["top_logprobs"] = top,
                });
            }
            return new JsonObject { ["content"] = content };
        }
        var offsets = new JsonArray();
        var tops = new JsonArray();
        var offset = 0;
        for (var i = 0; i < lp.Tokens.Length; i++)
        {
            offsets.Add(offset);
            offset += lp.Tokens[i].Length;
            if (lp.LogProbs[i] is not { } own)
            {
                tops.Add(null);
                continue;
            }
            // Tokens that decode to the same text share a key: the likelier one, listed first, keeps it.
            var map = new JsonObject();
            foreach (var (token, logProb) in lp.Top[i] ?? [])
                if (!map.ContainsKey(token)) map[token] = logProb;
            if (!map.ContainsKey(lp.Tokens[i])) map[lp.Tokens[i]] = own;
            tops.Add(map);
        }
        return new JsonObject
        {
            ["tokens"] = new JsonArray(lp.Tokens.Select(t => (JsonNode)t).ToArray()),
            ["token_logprobs"] = new JsonArray(lp.LogProbs.Select(l => l is { } v ? (JsonNode)v : null).ToArray()),
            ["top_logprobs"] = tops,
            ["text_offset"] = offsets,
        };
    }

    private static JsonArray Bytes(string token) => new(System.Text.Encoding.UTF8.GetBytes(token).Select(b => (JsonNode)(int)b).ToArray());
}
