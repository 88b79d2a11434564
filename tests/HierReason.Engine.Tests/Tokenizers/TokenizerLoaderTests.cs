using HierReason.Engine.Tokenizers;

namespace HierReason.Engine.Tests.Tokenizers;

public class TokenizerLoaderTests
{
    [Fact]
    public void Folder_without_tokenizer_files_names_the_folder_and_the_files_looked_for()
    {
        using var dir = new TempDir();
        var error = Assert.Throws<EngineException>(() => TokenizerLoader.Load(dir.Path));
        Assert.Contains(dir.Path, error.Message);
        Assert.Contains("tokenizer.json", error.Message);
        Assert.Contains("vocab.json", error.Message);
        Assert.Contains("merges.txt", error.Message);
    }

    [Fact]
    public void Missing_folder_is_reported_as_such()
    {
        var error = Assert.Throws<EngineException>(() => TokenizerLoader.Load("/nonexistent/model-dir"));
        Assert.Contains("/nonexistent/model-dir", error.Message);
    }

    [Fact]
    public void Broken_json_names_the_file()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "tokenizer.json"), "{ not json");
        var error = Assert.Throws<EngineException>(() => TokenizerLoader.Load(dir.Path));
        Assert.Contains("tokenizer.json", error.Message);
    }

    [Fact]
    public void Sentencepiece_style_bpe_is_refused_with_a_reason()
    {
        using var dir = new TempDir();
        File.WriteAllText(
            Path.Combine(dir.Path, "tokenizer.json"),
            """{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "pre_tokenizer": {"type": "Metaspace"}, "decoder": {"type": "Metaspace"}}""");
        var error = Assert.Throws<EngineException>(() => TokenizerLoader.Load(dir.Path));
        Assert.Contains("byte-level", error.Message);
    }
}
