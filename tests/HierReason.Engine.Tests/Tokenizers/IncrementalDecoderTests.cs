using HierReason.Engine.Tokenizers;

namespace HierReason.Engine.Tests.Tokenizers;

public class IncrementalDecoderTests
{
    [Fact]
    public void Multi_byte_character_is_released_when_its_last_byte_arrives()
    {
        var decoder = new IncrementalDecoder(new ByteTokenizer());
        // 世 is E4 B8 96.
        Assert.Equal("a", decoder.Push(97));
        Assert.Equal("", decoder.Push(0xE4));
        Assert.Equal("", decoder.Push(0xB8));
        Assert.Equal("世", decoder.Push(0x96));
    }

    [Fact]
    public void Streamed_pieces_add_up_to_the_whole_decode()
    {
        var tokenizer = new ByteTokenizer();
        const string text = "<|im_start|>héllo → 世界 🙂<|im_end|>";
        var ids = tokenizer.Encode(text);
        var decoder = new IncrementalDecoder(tokenizer);
        var streamed = string.Concat(ids.Select(decoder.Push)) + decoder.Flush();
        Assert.Equal(text, streamed);
    }

    [Fact]
    public void Skipped_specials_do_not_appear_in_the_stream()
    {
        var tokenizer = new ByteTokenizer();
        var decoder = new IncrementalDecoder(tokenizer, skipSpecial: true);
        var streamed = string.Concat(tokenizer.Encode("<think>ok</think>").Select(decoder.Push)) + decoder.Flush();
        Assert.Equal("ok", streamed);
    }

    [Fact]
    public void Character_cut_off_at_the_end_flushes_as_a_replacement()
    {
        var decoder = new IncrementalDecoder(new ByteTokenizer());
        Assert.Equal("", decoder.Push(0xE4));
        Assert.Equal("\uFFFD", decoder.Flush());
        Assert.Equal("", decoder.Flush());
    }

    [Fact]
    public void Byte_level_bpe_tokens_stream_the_same_way()
    {
        using var dir = new TempDir();
        TinyBpe.WriteTokenizerJson(dir.Path);
        var tokenizer = TokenizerLoader.Load(dir.Path);
        const string text = "hello world → 🙂<|im_end|>";
        var decoder = new IncrementalDecoder(tokenizer);
        Assert.Equal(text, string.Concat(tokenizer.Encode(text).Select(decoder.Push)) + decoder.Flush());
    }
}
