using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Engine.Tokenizers;

namespace HierReason.Backends.Serving;

/// <summary>
/// vLLM's tokenizer routes at the server root: <c>GET /tokenizer_info</c>, <c>POST /tokenize</c>, <c>POST /detokenize</c>.
/// lm-evaluation-harness's <c>tokenizer_backend=remote</c> (and its <c>auto</c> default, which probes
/// <c>/tokenizer_info</c> for an <c>eos_token</c> and <c>/tokenize</c> for a <c>tokens</c> list) counts context tokens
/// with them, so a model without a Hugging Face tokenizer (the byte-tokenizer tiny models) can be evaluated.
/// Every served id shares the base model's tokenizer (adapters do not change it).
/// </summary>
internal static class TokenizerRoutes
{
    /// <summary>The tokenizer's special tokens by role, its kind and the context length.</summary>
    public static JsonObject Info(ServedModel model)
    {
        var tokenizer = model.Local.Tokenizer;
        return new JsonObject
        {
            ["tokenizer_class"] = model.Local.Info.TokenizerKind,
            ["eos_token"] = tokenizer.EosIds.Count > 0 ? Text(tokenizer, tokenizer.EosIds[0]) : null,
            ["bos_token"] = tokenizer.BosId is { } bos ? Text(tokenizer, bos) : null,
            ["pad_token"] = Text(tokenizer, tokenizer.PadId),
            ["vocab_size"] = tokenizer.VocabSize,
            ["model_max_length"] = model.Local.Info.MaxContext,
        };
    }

    /// <summary><c>{"prompt": text, "add_special_tokens": true}</c> → <c>{"count", "max_model_len", "tokens"}</c>; special tokens written in the text are single ids.</summary>
    public static JsonObject Tokenize(ServedModels models, JsonObject o)
    {
        var model = Model(models, o);
        var prompt = o["prompt"] is JsonValue p && p.GetValueKind() == JsonValueKind.String
            ? p.GetValue<string>()
            : throw OpenAiError.BadRequest("'prompt' must be a string.", "prompt");
        var addSpecial = o["add_special_tokens"] switch
        {
            null => true,
            JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True,
            _ => throw OpenAiError.BadRequest("'add_special_tokens' must be true or false.", "add_special_tokens"),
        };
        var ids = model.Local.Tokenizer.Encode(prompt, addSpecial);
        return new JsonObject
        {
            ["count"] = ids.Length,
            ["max_model_len"] = model.Local.Info.MaxContext,
            ["tokens"] = new JsonArray(ids.Select(i => (JsonNode)i).ToArray()),
        };
    }

    /// <summary><c>{"tokens": [ids]}</c> → <c>{"prompt": text}</c>; every id must lie in the vocabulary.</summary>
    public static JsonObject Detokenize(ServedModels models, JsonObject o)
    {
        var tokenizer = Model(models, o).Local.Tokenizer;
        if (o["tokens"] is not JsonArray a) throw OpenAiError.BadRequest("'tokens' must be an array of token ids.", "tokens");
        var ids = new int[a.Count];
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue<long>(out var id))
                throw OpenAiError.BadRequest($"'tokens[{i}]' must be an integer token id.", $"tokens[{i}]");
            if (id < 0 || id >= tokenizer.VocabSize)
                throw OpenAiError.BadRequest($"'tokens[{i}]' is {id}, outside the vocabulary [0, {tokenizer.VocabSize}).", $"tokens[{i}]", "invalid_token_id");
            ids[i] = (int)id;
        }
        return new JsonObject { ["prompt"] = tokenizer.Decode(ids) };
    }

    /// <summary>The request's model when it names one (it must be served), else the base model.</summary>
    private static ServedModel Model(ServedModels models, JsonObject o) => o["model"] switch
    {
        null => models.All.First(m => m.AdapterDir is null),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => models.Find(v.GetValue<string>())
            ?? throw new OpenAiError(404, $"The model '{v.GetValue<string>()}' does not exist. Served models: {string.Join(", ", models.Names)}.", "model", "model_not_found", "not_found_error"),
        _ => throw OpenAiError.BadRequest("'model' must be a string.", "model"),
    };

    private static string Text(ITokenizer tokenizer, int id) => tokenizer.Decode([id]);
}
