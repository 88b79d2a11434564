using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Engine.Tokenizers;

/// <summary>The embedded tiny models' tokenizer: ids 0–255 are UTF-8 bytes, then a few special tokens.</summary>
public sealed class ByteTokenizer : ITokenizer
{
    /// <summary>The <c>tokenizer_class</c> written to and recognised in <c>tokenizer_config.json</c>.</summary>
    public const string TokenizerClass = "HierReasonByteTokenizer";

    /// <summary>End of text; also the padding token.</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>The special tokens of the default layout, in id order from 256.</summary>
    public static readonly IReadOnlyList<string> DefaultSpecials =
        ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>", "<answer>", "</answer>"];

    private const int ByteCount = 256;
    private readonly string[] _specials;
    private readonly Dictionary<string, int> _specialIds;
    private readonly SpecialTokenSplitter _splitter;

    /// <summary>Creates the default layout: 7 specials from id 256, vocabulary padded to 264, eos and pad <c>&lt;|endoftext|&gt;</c>.</summary>
    public ByteTokenizer()
        : this(DefaultSpecials, EndOfText, EndOfText, chatTemplate: "chatml")
    {
    }

    /// <summary>Creates a byte tokenizer with the given special tokens (ids from 256 in order).</summary>
    public ByteTokenizer(IReadOnlyList<string> specials, string eosToken, string padToken, string chatTemplate)
    {
        _specials = [.. specials];
        _specialIds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _specials.Length; i++)
        {
            if (!_specialIds.TryAdd(_specials[i], ByteCount + i))
                throw new EngineException($"Byte tokenizer special token '{_specials[i]}' is listed twice.");
        }

        EosIds = [RequireSpecial(eosToken, "eos_token")];
        PadId = RequireSpecial(padToken, "pad_token");
        ChatTemplate = chatTemplate;
        // Padded to a multiple of 8 so the embedding and lm_head shapes stay matmul-friendly.
        VocabSize = (ByteCount + _specials.Length + 7) / 8 * 8;
        _splitter = new SpecialTokenSplitter(_specialIds);
    }

    /// <inheritdoc />
    public int VocabSize { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> EosIds { get; }

    /// <inheritdoc />
    public int PadId { get; }

    /// <inheritdoc />
    public int? BosId => null;

    /// <summary>The chat template name stored with the tokenizer.</summary>
    public string ChatTemplate { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, int> SpecialTokens => _specialIds;

    /// <inheritdoc />
    public int[] Encode(string text, bool addSpecial = false)
    {
        var ids = new List<int>(text.Length + 4);
        foreach (var segment in _splitter.Split(text))
        {
            if (segment.IsSpecial)
            {
                ids.Add(segment.SpecialId);
                continue;
            }

            foreach (var b in Encoding.UTF8.GetBytes(segment.Text!))
                ids.Add(b);
        }

        return [.. ids];
    }

    /// <inheritdoc />
    public string Decode(IReadOnlyList<int> ids, bool skipSpecial = false)
    {
        var text = new StringBuilder();
        var pending = new List<byte>();
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)VocabSize)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id outside the vocabulary of {VocabSize}.");
            if (id < ByteCount)
            {
                pending.Add((byte)id);
                continue;
            }

            FlushBytes(pending, text);
            var special = id - ByteCount;
            // Ids past the last special only pad the vocabulary; they carry no text.
            if (special < _specials.Length && !skipSpecial)
                text.Append(_specials[special]);
        }

        FlushBytes(pending, text);
        return text.ToString();
    }

    /// <inheritdoc />
    public int? TokenToId(string token)
    {
        if (_specialIds.TryGetValue(token, out var id))
            return id;
        var bytes = Encoding.UTF8.GetBytes(token);
        return bytes.Length == 1 ? bytes[0] : null;
    }

    /// <inheritdoc />
    public string? IdToToken(int id)
    {
        if (id is >= 0 and < ByteCount)
            return id < 128 ? ((char)id).ToString() : $"<0x{id:X2}>";
        var special = id - ByteCount;
        return special >= 0 && special < _specials.Length ? _specials[special] : null;
    }

    /// <inheritdoc />
    public bool IsSpecial(int id) => id >= ByteCount && id - ByteCount < _specials.Length;

    /// <summary>Writes <c>tokenizer_config.json</c> into a model folder so <see cref="TokenizerLoader"/> finds it.</summary>
    public void Save(string modelDir)
    {
        Directory.CreateDirectory(modelDir);
        var added = new JsonObject();
        for (var i = 0; i < _specials.Length; i++)
        {
            added[(ByteCount + i).ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["content"] = _specials[i],
                ["special"] = true,
            };
        }

        var config = new JsonObject
        {
            ["tokenizer_class"] = TokenizerClass,
            ["vocab_size"] = VocabSize,
            ["special_tokens"] = new JsonArray([.. _specials.Select(s => JsonValue.Create(s))]),
            ["added_tokens_decoder"] = added,
            ["eos_token"] = _specials[EosIds[0] - ByteCount],
            ["pad_token"] = _specials[PadId - ByteCount],
            ["bos_token"] = null,
            ["chat_template"] = ChatTemplate,
        };
        var path = Path.Combine(modelDir, TokenizerFiles.TokenizerConfig);
        IO.JsonFiles.WriteAtomic(path, config);
    }

    /// <summary>Reads a byte tokenizer from a parsed <c>tokenizer_config.json</c>.</summary>
    public static ByteTokenizer FromConfig(JsonElement config, string path)
    {
        var specials = config.TryGetProperty("special_tokens", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.GetString() ?? throw Bad(path, "special_tokens", "strings")).ToArray()
            : throw Bad(path, "special_tokens", "an array of the special tokens in id order from 256");
        var eos = TokenizerFiles.TokenText(config, "eos_token") ?? EndOfText;
        var pad = TokenizerFiles.TokenText(config, "pad_token") ?? eos;
        var template = config.TryGetProperty("chat_template", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()!
            : "chatml";
        return new ByteTokenizer(specials, eos, pad, template);
    }

    private int RequireSpecial(string token, string role) =>
        _specialIds.TryGetValue(token, out var id)
            ? id
            : throw new EngineException($"Byte tokenizer {role} '{token}' is not one of its special tokens ({string.Join(", ", _specials)}).");

    private static EngineException Bad(string path, string key, string expected) =>
        new($"{path}: '{key}' must be {expected}.");

    private static void FlushBytes(List<byte> pending, StringBuilder text)
    {
        if (pending.Count == 0)
            return;
        // UTF8Encoding's default replacement fallback turns invalid sequences into U+FFFD.
        text.Append(Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending)));
        pending.Clear();
    }
}
