using System.Text.Json.Nodes;
using HierReason.Engine.Tokenizers;

namespace HierReason.Engine.Tests.Tokenizers;

/// <summary>A small GPT-2-style byte-level BPE written as files, with merges chosen so ids can be worked out by hand.</summary>
public static class TinyBpe
{
    // Ids 0–255 are the bytes (through GPT-2's byte↔unicode alphabet); merges add 256.. in rank order.
    public static readonly (string Left, string Right)[] Merges =
    [
        ("h", "e"),      // 256 he
        ("l", "l"),      // 257 ll
        ("he", "ll"),    // 258 hell
        ("Ġ", "w"),      // 259 Ġw
        ("hell", "o"),   // 260 hello
        ("Ġw", "o"),     // 261 Ġwo
        ("r", "l"),      // 262 rl
        ("Ġwo", "rl"),   // 263 Ġworl
        ("Ã", "©"),      // 264 é (bytes C3 A9)
        ("1", "2"),      // 265 12 (only reachable when the pattern keeps digits together)
    ];

    public const int EndOfText = 266;
    public const int ImStart = 267;
    public const int ImEnd = 268;
    public const int Think = 269;

    public static (string Content, int Id, bool Special)[] Added =>
    [
        ("<|endoftext|>", EndOfText, true),
        ("<|im_start|>", ImStart, true),
        ("<|im_end|>", ImEnd, true),
        ("<think>", Think, false),
    ];

    /// <summary>GPT-2's byte→unicode table, written out independently of the engine's.</summary>
    public static char[] ByteAlphabet()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= 33 and <= 126 or >= 161 and <= 172 or >= 174 and <= 255;
            map[b] = printable ? (char)b : (char)next++;
        }

        return map;
    }

    public static Dictionary<string, int> Vocab(IReadOnlyList<(string Left, string Right)>? merges = null)
    {
        var alphabet = ByteAlphabet();
        var vocab = new Dictionary<string, int>();
        for (var b = 0; b < 256; b++)
            vocab[alphabet[b].ToString()] = b;
        var id = 256;
        foreach (var (l, r) in merges ?? Merges)
            vocab[l + r] = id++;
        return vocab;
    }

    public static void WriteTokenizerJson(string dir, bool arrayMerges = false, string pattern = PreTokenizerPatterns.Qwen2, JsonNode? postProcessor = null) =>
        WriteTokenizerJson(dir, Merges, Added, arrayMerges, pattern, postProcessor);

    public static void WriteTokenizerJson(
        string dir,
        IReadOnlyList<(string Left, string Right)> mergeList,
        IEnumerable<(string Content, int Id, bool Special)> addedTokens,
        bool arrayMerges = false,
        string pattern = PreTokenizerPatterns.Qwen2,
        JsonNode? postProcessor = null)
    {
        var vocab = new JsonObject();
        foreach (var (token, id) in Vocab(mergeList))
            vocab[token] = id;
        var merges = new JsonArray();
        foreach (var (l, r) in mergeList)
            merges.Add(arrayMerges ? new JsonArray(l, r) : JsonValue.Create($"{l} {r}"));
        var added = new JsonArray();
        foreach (var (content, id, special) in addedTokens)
            added.Add(new JsonObject { ["id"] = id, ["content"] = content, ["special"] = special, ["normalized"] = false });

        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = pattern }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false }),
            },
            ["post_processor"] = postProcessor ?? new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["vocab"] = vocab,
                ["merges"] = merges,
            },
        };
        File.WriteAllText(Path.Combine(dir, TokenizerFiles.TokenizerJson), root.ToJsonString());
    }

    public static void WriteVocabAndMerges(string dir)
    {
        var vocab = new JsonObject();
        foreach (var (token, id) in Vocab())
            vocab[token] = id;
        File.WriteAllText(Path.Combine(dir, TokenizerFiles.VocabJson), vocab.ToJsonString());
        File.WriteAllLines(Path.Combine(dir, TokenizerFiles.MergesTxt), ["#version: 0.2", .. Merges.Select(m => $"{m.Left} {m.Right}")]);
        var decoder = new JsonObject();
        foreach (var (content, id, special) in Added)
            decoder[id.ToString()] = new JsonObject { ["content"] = content, ["special"] = special };
        var config = new JsonObject
        {
            ["tokenizer_class"] = "Qwen2Tokenizer",
            ["added_tokens_decoder"] = decoder,
            ["eos_token"] = "<|im_end|>",
            ["pad_token"] = "<|endoftext|>",
            ["bos_token"] = null,
        };
        File.WriteAllText(Path.Combine(dir, TokenizerFiles.TokenizerConfig), config.ToJsonString());
    }
}
