using System.Text.Json.Nodes;
using HierReason.Engine.Tokenizers;

namespace HierReason.Engine.Tests.Tokenizers;

public class ByteLevelBpeTokenizerTests
{
    private static ITokenizer LoadTokenizerJson(bool arrayMerges = false)
    {
        using var dir = new TempDir();
        TinyBpe.WriteTokenizerJson(dir.Path, arrayMerges);
        return TokenizerLoader.Load(dir.Path);
    }

    [Fact]
    public void Merges_apply_in_rank_order_within_each_word()
    {
        var tokenizer = LoadTokenizerJson();
        // "hello": h e → he, l l → ll, he ll → hell, hell o → hello.
        // " world": Ġ w → Ġw, Ġw o → Ġwo, r l → rl, Ġwo rl → Ġworl, then d alone.
        Assert.Equal([260, 263, 100], tokenizer.Encode("hello world"));
    }

    [Fact]
    public void Non_ascii_bytes_merge_through_the_byte_alphabet()
    {
        var tokenizer = LoadTokenizerJson();
        // h, é as Ã© (C3 A9 merged), ll, o; "he" cannot form because é sits between.
        Assert.Equal([104, 264, 257, 111], tokenizer.Encode("héllo"));
    }

    [Fact]
    public void Split_pattern_from_the_file_decides_where_merges_may_reach()
    {
        // Qwen's pattern: a space joins the next word (no "Ġ h" merge, so Ġ stays alone) and digits stand alone.
        Assert.Equal([260, 32, 260, 49, 50], LoadTokenizerJson().Encode("hello hello12"));

        // GPT-2's pattern (a ByteLevel pre-tokenizer with use_regex) keeps "12" together, so "1 2" merges.
        using var dir = new TempDir();
        TinyBpe.WriteTokenizerJson(dir.Path);
        var path = Path.Combine(dir.Path, "tokenizer.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        root["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = true };
        File.WriteAllText(path, root.ToJsonString());
        Assert.Equal([260, 32, 260, 265], TokenizerLoader.Load(dir.Path).Encode("hello hello12"));
    }

    [Fact]
    public void Special_tokens_in_text_become_single_ids()
    {
        var tokenizer = LoadTokenizerJson();
        var ids = tokenizer.Encode("<|im_start|>user\nhello<|im_end|><think>");
        Assert.Equal([TinyBpe.ImStart, 117, 115, 101, 114, 10, 260, TinyBpe.ImEnd, TinyBpe.Think], ids);
    }

    [Theory]
    [InlineData("hello world, hello!")]
    [InlineData("héllo → 世界 🙂\n\n  tabs\there")]
    [InlineData("<|im_start|>system\nYou add.<|im_end|>\n<|im_start|>user\n2+2=?<|im_end|><|endoftext|>")]
    public void Decode_inverts_encode(string text)
    {
        var tokenizer = LoadTokenizerJson();
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void Skipping_specials_keeps_non_special_added_tokens()
    {
        var tokenizer = LoadTokenizerJson();
        var ids = tokenizer.Encode("<|im_start|>hello<think><|im_end|>");
        Assert.Equal("hello<think>", tokenizer.Decode(ids, skipSpecial: true));
        Assert.True(tokenizer.IsSpecial(TinyBpe.ImEnd));
        Assert.False(tokenizer.IsSpecial(TinyBpe.Think));
    }

    [Fact]
    public void Array_form_merges_give_the_same_ids()
    {
        var strings = LoadTokenizerJson(arrayMerges: false);
        var arrays = LoadTokenizerJson(arrayMerges: true);
        const string text = "hello world héllo <|im_end|>";
        Assert.Equal(strings.Encode(text), arrays.Encode(text));
    }

    [Fact]
    public void Vocab_and_merges_files_give_the_same_ids_as_tokenizer_json()
    {
        using var dir = new TempDir();
        TinyBpe.WriteVocabAndMerges(dir.Path);
        var slow = TokenizerLoader.Load(dir.Path);
        var fast = LoadTokenizerJson();
        foreach (var text in new[] { "hello world", "héllo → 世界 🙂", "<|im_start|>user\nhello<|im_end|>", "a  b\n\nc 123" })
            Assert.Equal(fast.Encode(text), slow.Encode(text));
        Assert.Equal([TinyBpe.ImEnd], slow.EosIds);
        Assert.Equal(TinyBpe.EndOfText, slow.PadId);
    }

    [Fact]
    public void Vocabulary_size_and_token_lookups_cover_added_tokens()
    {
        var tokenizer = LoadTokenizerJson();
        Assert.Equal(270, tokenizer.VocabSize);
        Assert.Equal(TinyBpe.ImStart, tokenizer.TokenToId("<|im_start|>"));
        Assert.Equal(260, tokenizer.TokenToId("hello"));
        Assert.Equal("Ġworl", tokenizer.IdToToken(263));
        Assert.Equal("<|im_end|>", tokenizer.IdToToken(TinyBpe.ImEnd));
        Assert.Null(tokenizer.TokenToId("<|nope|>"));
    }

    [Fact]
    public void Generation_config_eos_ids_join_the_tokenizer_config_eos()
    {
        using var dir = new TempDir();
        TinyBpe.WriteTokenizerJson(dir.Path);
        File.WriteAllText(Path.Combine(dir.Path, "tokenizer_config.json"), """{"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>"}""");
        File.WriteAllText(Path.Combine(dir.Path, "generation_config.json"), """{"eos_token_id": [268, 266], "bos_token_id": 266}""");
        var tokenizer = TokenizerLoader.Load(dir.Path);
        Assert.Equal([TinyBpe.ImEnd, TinyBpe.EndOfText], tokenizer.EosIds);
        Assert.Equal(TinyBpe.EndOfText, tokenizer.PadId);
        // A bos id without a post-processor that adds it is known but never prepended.
        Assert.Equal(TinyBpe.EndOfText, tokenizer.BosId);
        Assert.Equal([260], tokenizer.Encode("hello", addSpecial: true));
    }

    [Fact]
    public void Template_post_processor_prepends_its_begin_token_when_asked()
    {
        using var dir = new TempDir();
        var post = new JsonObject
        {
            ["type"] = "TemplateProcessing",
            ["single"] = new JsonArray(
                new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = "<|im_start|>", ["type_id"] = 0 } },
                new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } }),
        };
        TinyBpe.WriteTokenizerJson(dir.Path, postProcessor: post);
        var tokenizer = TokenizerLoader.Load(dir.Path);
        Assert.Equal(TinyBpe.ImStart, tokenizer.BosId);
        Assert.Equal([TinyBpe.ImStart, 260], tokenizer.Encode("hello", addSpecial: true));
        Assert.Equal([260], tokenizer.Encode("hello"));
    }
}
