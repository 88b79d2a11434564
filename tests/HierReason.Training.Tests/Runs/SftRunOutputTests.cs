using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Training.Experiments;
using HierReason.Training.Runs;
using HierReason.Training.Sft;
using static TorchSharp.torch;

namespace HierReason.Training.Tests.Runs;

/// <summary>What a short SFT run of the fresh tiny model leaves beside its model: the resolved experiment and the curves.</summary>
public sealed class SftRunOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-sft-output-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>An experiment with a commented base, so the resolved file has to be the merge, not a copy of either file.</summary>
    private string Experiment(int steps, string eval = """{ "every": 0, "n": 2, "split": "validation" }""", string model = """{ "init": "tiny", "seed": 3 }""")
    {
        var output = Path.Combine(_dir, "out").Replace("\\", "/");
        File.WriteAllText(Path.Combine(_dir, "base.json"), $$"""
            {
              // shared settings
              "model": {{model}},
              "sft": { "steps": 100, "batch_size": 1, "max_seq_len": 320, "learning_rate": 0.003, "warmup_steps": 1 }
            }
            """);
        var path = Path.Combine(_dir, "exp.json");
        File.WriteAllText(path, $$"""
            {
              "_base_": "base.json", // merged first
              "data": { "tasks": [ { "task": "chain_sum", "level": 0 } ] },
              "sft": { "steps": {{steps}} },
              "eval": {{eval}},
              "output": "{{output}}"
            }
            """);
        return path;
    }

    [Fact]
    public void The_resolved_experiment_is_saved_as_plain_json_whose_sha256_is_the_manifests_config_hash()
    {
        var config = ExperimentConfig.Load(Experiment(steps: 1));
        using (var run = SftRun.Create(config)) run.Run();

        var path = Path.Combine(config.Output, "experiment.resolved.json");
        Assert.True(File.Exists(path), "experiment.resolved.json is missing");
        var text = File.ReadAllText(path);
        // Strict JSON (no comments, no trailing commas), the merge of both files, without the _base_ key.
        var resolved = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow })!;
        Assert.Equal(1, (int)resolved["sft"]!["steps"]!);
        Assert.Equal(0.003, (double)resolved["sft"]!["learning_rate"]!);
        Assert.Equal(3, (int)resolved["model"]!["seed"]!);
        Assert.Null(resolved["_base_"]);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(config.Output, "training_manifest.json")))!;
        Assert.Equal((string)manifest["config_sha256"]!, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
    }

    [Fact]
    public void A_lora_run_writes_its_adapter_and_the_merged_model_that_loads_as_any_folder()
    {
        var config = ExperimentConfig.Load(Experiment(steps: 3, model: """{ "init": "tiny", "seed": 3, "lora": { "r": 4, "alpha": 8 } }"""));
        using var run = SftRun.Create(config);
        run.Run();

        Assert.True(File.Exists(Path.Combine(config.Output, LoraAdapter.ConfigFileName)));
        Assert.True(File.Exists(Path.Combine(config.Output, LoraAdapter.WeightsFileName)));
        Assert.True(TrainingManifest.IsUpToDate(config));
        using var ids = tensor(new long[] { 60, 61, 62, 32, 43, 32, 49, 50 }).unsqueeze(0);
        using var noGrad = no_grad();
        run.Model.eval();
        using var trained = run.Model.forward(ids);
        using var merged = CheckpointLoader.Load(config.Output);
        merged.eval();
        using var loaded = merged.forward(ids);
        Assert.True(allclose(trained, loaded, 1e-4, 1e-4), $"max |Δlogit| {(trained - loaded).abs().max().item<float>():E3}");
        // The adapter learned something, so the merge is not just the base: the fresh seed-3 model scores otherwise.
        using var fresh = TinyModelFactory.Create(merged.Config, seed: 3);
        fresh.eval();
        using var baseLogits = fresh.forward(ids);
        Assert.False(allclose(baseLogits, loaded, 1e-4, 1e-4));

        // A LoRA output that holds only the adapter (written before the merged model was saved) is trained again.
        File.Delete(Path.Combine(config.Output, "model.safetensors"));
        Assert.False(TrainingManifest.IsUpToDate(config));
    }

    [Fact]
    public void Sft_curves_get_a_held_out_accuracy_panel_from_eval_jsonl()
    {
        var config = ExperimentConfig.Load(Experiment(steps: 2, eval: """{ "every": 1, "n": 2, "split": "validation" }"""));
        using (var run = SftRun.Create(config)) run.Run();

        Assert.Equal([0, 1, 2], File.ReadAllLines(Path.Combine(config.Output, "eval.jsonl")).Select(l => (int)JsonNode.Parse(l)!["step"]!));
        // Three panels of 260 px: loss, held-out accuracy, learning rate.
        Assert.Equal((900, 3 * 260), Png.Size(Path.Combine(config.Output, "training_curves.png")));
    }
}
