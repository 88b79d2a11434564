using System.Text.Json;
using HierReason.Engine.Tokenizers;

namespace HierReason.Engine.Tests.Tokenizers;

public class ByteTokenizerTests
{
    private readonly ByteTokenizer _tokenizer = new();

    [Fact]
    public void Ascii_encodes_to_its_bytes_and_decodes_back()
    {
        var ids = _tokenizer.Encode("Hi 42!");
        Assert.Equal([72, 105, 32, 52, 50, 33], ids);
        Assert.Equal("Hi 42!", _tokenizer.Decode(ids));
    }

    [Fact]
    public void Non_ascii_round_trips_through_utf8_bytes()
    {
        const string text = "héllo → 世界 🙂";
        var ids = _tokenizer.Encode(text);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(text), ids.Length);
        Assert.Equal([0xC3, 0xA9], ids[1..3]);
        Assert.Equal(text, _tokenizer.Decode(ids));
    }

    [Fact]
    public void Special_tokens_in_text_become_single_ids()
    {
        var ids = _tokenizer.Encode("<|im_start|>user\n2+2<|im_end|><think>x</think><answer>4</answer><|endoftext|>");
        Assert.Equal(
            [257, 117, 115, 101, 114, 10, 50, 43, 50, 258, 259, 120, 260, 261, 52, 262, 256],
            ids);
        Assert.Equal("user\n2+2x4", _tokenizer.Decode(ids, skipSpecial: true));
        Assert.Equal("<|im_start|>user\n2+2<|im_end|><think>x</think><answer>4</answer><|endoftext|>", _tokenizer.Decode(ids));
    }

    [Fact]
    public void Incomplete_special_token_text_stays_bytes()
    {
        Assert.Equal([60, 124, 105, 109], _tokenizer.Encode("<|im"));
    }

    [Fact]
    public void Layout_has_eos_pad_and_vocabulary_padded_to_eight()
    {
        Assert.Equal(264, _tokenizer.VocabSize);
        Assert.Equal([256], _tokenizer.EosIds);
        Assert.Equal(256, _tokenizer.PadId);
        Assert.Null(_tokenizer.BosId);
        Assert.Equal(258, _tokenizer.TokenToId("<|im_end|>"));
        Assert.Equal("</answer>", _tokenizer.IdToToken(262));
        Assert.Null(_tokenizer.IdToToken(263));
        Assert.True(_tokenizer.IsSpecial(259));
        Assert.False(_tokenizer.IsSpecial(255));
    }

    [Fact]
    public void Invalid_utf8_decodes_to_replacement_characters()
    {
        Assert.Equal("a\uFFFDb", _tokenizer.Decode([97, 0xFF, 98]));
        // A multi-byte character cut short, then interrupted by a special token.
        Assert.Equal("\uFFFD<|im_end|>", _tokenizer.Decode([0xE4, 0xB8, 258]));
        Assert.Equal("\uFFFD", _tokenizer.Decode([0x80]));
    }

    [Fact]
    public void Padding_id_past_the_specials_decodes_to_nothing()
    {
        Assert.Equal("ab", _tokenizer.Decode([97, 263, 98]));
    }

    [Fact]
    public void Ids_outside_the_vocabulary_are_a_bug()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _tokenizer.Decode([264]));
    }

    [Fact]
    public void Saved_tokenizer_loads_back_through_the_loader()
    {
        using var dir = new TempDir();
        _tokenizer.Save(dir.Path);

        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "tokenizer_config.json"))))
        {
            Assert.Equal("HierReasonByteTokenizer", doc.RootElement.GetProperty("tokenizer_class").GetString());
            Assert.Equal("chatml", doc.RootElement.GetProperty("chat_template").GetString());
            Assert.Equal("<|endoftext|>", doc.RootElement.GetProperty("eos_token").GetString());
        }

        var loaded = Assert.IsType<ByteTokenizer>(TokenizerLoader.Load(dir.Path));
        const string text = "<|im_start|>user\nhéllo 🙂<|im_end|>\n";
        Assert.Equal(_tokenizer.Encode(text), loaded.Encode(text));
        Assert.Equal(text, loaded.Decode(loaded.Encode(text)));
        Assert.Equal(264, loaded.VocabSize);
        Assert.Equal([256], loaded.EosIds);
        Assert.Equal(256, loaded.PadId);
        Assert.Equal("chatml", loaded.ChatTemplate);
    }
}
