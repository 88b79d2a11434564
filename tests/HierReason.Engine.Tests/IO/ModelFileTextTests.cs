using System.Text;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Inference;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;

namespace HierReason.Engine.Tests.IO;

/// <summary>A model folder's text files are read only when they are regular files, of a bounded size, in valid UTF-8.</summary>
public class ModelFileTextTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_FIFO_as_config_json_is_refused_at_once_instead_of_blocking()
    {
        using var dir = new TempDir();
        var fifo = Fifo.Create(Path.Combine(dir.Path, "config.json"));

        var error = await Fifo.WithinLimit(fifo, () => ModelConfig.Load(fifo), Limit);

        Assert.Equal($"{fifo}: expected a regular file; found a FIFO, device or socket", Assert.IsType<EngineException>(error).Message);
    }

    [Fact]
    public async Task A_FIFO_as_model_safetensors_is_refused_at_once_instead_of_blocking()
    {
        using var dir = new TempDir();
        LocalModel.InitTiny(dir.Path, seed: 1);
        var weights = Path.Combine(dir.Path, "model.safetensors");
        File.Delete(weights);
        Fifo.Create(weights);

        var error = await Fifo.WithinLimit(weights, () => CheckpointLoader.Load(dir.Path), Limit);

        Assert.Contains($"{weights}: expected a regular safetensors file; found a FIFO", Assert.IsType<EngineException>(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_named_config_json_is_refused()
    {
        using var dir = new TempDir();
        var path = Directory.CreateDirectory(Path.Combine(dir.Path, "config.json")).FullName;

        Assert.Equal($"{path}: expected a regular file; found a directory", Assert.Throws<EngineException>(() => ModelConfig.Load(path)).Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_tokenizer_file_is_an_error_naming_the_byte_offset_not_a_replacement_character()
    {
        using var dir = new TempDir();
        LocalModel.InitTiny(dir.Path, seed: 1);
        var path = Path.Combine(dir.Path, TokenizerFiles.TokenizerConfig);
        var text = File.ReadAllBytes(path);
        var cut = Array.IndexOf(text, (byte)'{') + 1;
        // A lone continuation byte inside a new string field: "x": "\x80"
        byte[] patched = [.. text[..cut], .. Encoding.ASCII.GetBytes("\"x\": \""), 0x80, .. Encoding.ASCII.GetBytes("\","), .. text[cut..]];
        File.WriteAllBytes(path, patched);

        var error = Assert.Throws<EngineException>(() => TokenizerLoader.Load(dir.Path));

        Assert.Equal($"{path}: not valid UTF-8: byte 0x80 at byte offset {cut + 6}", error.Message);
    }

    [Fact]
    public void An_oversized_config_json_is_refused_by_its_size()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "config.json");
        using (var file = File.Create(path)) file.SetLength((16 << 20) + 1);

        var error = Assert.Throws<EngineException>(() => ModelConfig.Load(path));

        Assert.Equal($"{path}: expected at most 16777216 bytes; found 16777217", error.Message);
    }
}
