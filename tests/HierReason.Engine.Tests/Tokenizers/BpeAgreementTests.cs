using HierReason.Engine.Tokenizers;

namespace HierReason.Engine.Tests.Tokenizers;

/// <summary>The engine's byte-level BPE must agree id for id with a naive reference on merges learned from text.</summary>
public class BpeAgreementTests
{
    private static readonly string[] Corpus =
    [
        "The farmer has 3 chickens and 2 cows. How many legs are there in total?",
        "There are 3 chickens with 2 legs each and 2 cows with 4 legs each, so 6 + 8 = 14 legs.",
        "Solve the puzzle step by step, then give the final answer between the answer tags.",
        "Ein Bauer hat drei Hühner und zwei Kühe; wie viele Beine haben sie zusammen?",
        "Le fermier a trois poulets et deux vaches. Combien de pattes en tout ?",
        "農夫有三隻雞和兩頭牛，一共有幾條腿？ 答案是十四。",
        "def legs(animals):\n    return sum(count * LEGS[name] for name, count in animals.items())\n",
        "  indented   text\twith\ttabs\n\n\nand blank lines, don't we'll they're I'm you've",
    ];

    [Theory]
    [InlineData(PreTokenizerPatterns.Qwen2)]
    [InlineData(PreTokenizerPatterns.Llama3)]
    [InlineData(PreTokenizerPatterns.Gpt2)]
    public void Engine_and_reference_give_the_same_ids_for_learned_merges(string pattern)
    {
        var merges = ReferenceBpe.Train(Corpus, pattern, mergeCount: 300);
        Assert.Equal(300, merges.Count);
        var reference = new ReferenceBpe(merges, pattern);

        using var dir = new TempDir();
        var endOfText = 256 + merges.Count;
        TinyBpe.WriteTokenizerJson(dir.Path, merges, [("<|endoftext|>", endOfText, true)], pattern: pattern);
        var tokenizer = TokenizerLoader.Load(dir.Path);

        var probes = Corpus.Concat(
        [
            "How many legs do 12 spiders and 7 ducks have? Think step by step.",
            "Hühner, Kühe und Pferde: 農夫的雞 🙂 — the answer is 2024!",
            "   leading spaces and trailing   ",
            "return count * LEGS[name]\r\n",
        ]);
        foreach (var text in probes)
        {
            Assert.Equal(reference.Encode(text), tokenizer.Encode(text));
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        }

        Assert.Equal([.. reference.Encode("legs"), endOfText], tokenizer.Encode("legs<|endoftext|>"));
    }

    [Fact]
    public void Bpe_decode_of_a_cut_character_gives_a_replacement()
    {
        using var dir = new TempDir();
        TinyBpe.WriteTokenizerJson(dir.Path);
        var tokenizer = TokenizerLoader.Load(dir.Path);
        Assert.Equal("\uFFFD", tokenizer.Decode([0xE4, 0xB8]));
        Assert.Equal("a\uFFFDb", tokenizer.Decode([97, 0xFF, 98]));
    }
}
