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

    private static JsonObject LogProbs(RequestKind kind, ChoiceResult c)
    {
        if (kind == RequestKind.Chat)
        {
            var content = new JsonArray();
            for (var i = 0; i < c.TokenIds.Length; i++)
                content.Add(new JsonObject
                {
                    ["token"] = c.Tokens[i],
                    ["logprob"] = c.LogProbs[i],
                    ["bytes"] = new JsonArray(System.Text.Encoding.UTF8.GetBytes(c.Tokens[i]).Select(b => (JsonNode)(int)b).ToArray()),
                    ["top_logprobs"] = new JsonArray(),
                });
            return new JsonObject { ["content"] = content };
        }
        var offsets = new JsonArray();
        var offset = 0;
        foreach (var t in c.Tokens)
        {
            offsets.Add(offset);
            offset += t.Length;
        }
        return new JsonObject
        {
            ["tokens"] = new JsonArray(c.Tokens.Select(t => (JsonNode)t).ToArray()),
            ["token_logprobs"] = new JsonArray(c.LogProbs.Select(l => (JsonNode)l).ToArray()),
            ["top_logprobs"] = null,
            ["text_offset"] = offsets,
        };
    }
}
