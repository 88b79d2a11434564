using System.Text.Json.Nodes;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Prm;
using HierReason.Engine.Tokenizers;
using Xunit;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Prm;

public sealed class ProcessRewardModelTests
{
    private static readonly ByteTokenizer Tokenizer = new();

    private static readonly Trajectory[] Trajectories =
    [
        new("Q: 2+3+4?\n", ["2+3=5", "5+4=9", "answer 9"]),
        new("Q: 1+1?\n", ["1+1=3 wrong"]),
        new("Q: 7-2?\n", ["7-2=5", "", "answer 5"]),
    ];

    // A causal LM folder (weights + byte tokenizer) as the SFT model would be.
    private static string CausalLmFolder(string root)
    {
        var dir = Path.Combine(root, "lm");
        using var lm = TestModels.Create(TestModels.Qwen2(Tokenizer.VocabSize), seed: 11);
        CheckpointSaver.Save(lm, dir);
        Tokenizer.Save(dir);
        return dir;
    }

    [Fact]
    public void Saved_prm_loads_back_with_identical_step_scores_and_hf_token_classification_names()
    {
        using var temp = new TempDir();
        var lmDir = CausalLmFolder(temp.Path);
        using var prm = PrmCheckpoint.FromCausalLM(lmDir, seed: 5);
        var before = new PrmScorer(prm, Tokenizer).ScoreMany(Trajectories);
        var prmDir = Path.Combine(temp.Path, "prm");
        PrmCheckpoint.Save(prm, prmDir, lmDir);

        using var loaded = PrmCheckpoint.Load(prmDir);
        var after = new PrmScorer(loaded, TokenizerLoader.Load(prmDir)).ScoreMany(Trajectories);

        for (var i = 0; i < Trajectories.Length; i++)
        {
            Assert.Equal(before[i].StepScores, after[i].StepScores);
            Assert.Equal(before[i].Score, after[i].Score);
        }
        using (var file = SafeTensorsFile.Open(Path.Combine(prmDir, SafeTensorsWriter.SingleFileName)))
        {
            Assert.Equal([2, 32], file.Tensors["score.weight"].Shape);
            Assert.Equal([2], file.Tensors["score.bias"].Shape);
            Assert.Contains("model.embed_tokens.weight", file.Tensors.Keys);
            Assert.Contains("model.layers.1.self_attn.q_proj.bias", file.Tensors.Keys);
            Assert.DoesNotContain("lm_head.weight", file.Tensors.Keys);
        }
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(prmDir, "config.json")))!;
        Assert.Equal("Qwen2ForTokenClassification", config["architectures"]![0]!.GetValue<string>());
        Assert.Equal(2, config["num_labels"]!.GetValue<int>());
        Assert.Equal("LABEL_1", config["id2label"]!["1"]!.GetValue<string>());
        Assert.Equal(1, config["label2id"]!["LABEL_1"]!.GetValue<int>());
        Assert.True(File.Exists(Path.Combine(prmDir, TokenizerFiles.TokenizerConfig)));
    }

    [Fact]
    public void Trunk_takes_the_causal_lms_weights_and_the_head_is_seeded()
    {
        using var temp = new TempDir();
        var lmDir = CausalLmFolder(temp.Path);
        using var lm = CheckpointLoader.Load(lmDir);
        using var a = PrmCheckpoint.FromCausalLM(lmDir, seed: 5);
        using var b = PrmCheckpoint.FromCausalLM(lmDir, seed: 5);
        using var c = PrmCheckpoint.FromCausalLM(lmDir, seed: 6);
        var lmWeights = lm.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in a.named_parameters().Where(p => p.name.StartsWith("model.", StringComparison.Ordinal)))
            Assert.True(parameter.allclose(lmWeights[name], 0, 0), name);
        var head = (Tensor)a.named_parameters().Single(p => p.name == "score.weight").parameter;
        Assert.True(head.allclose(b.named_parameters().Single(p => p.name == "score.weight").parameter, 0, 0));
        Assert.False(head.allclose(c.named_parameters().Single(p => p.name == "score.weight").parameter, 0, 0));
    }

    [Fact]
    public void Loading_a_causal_lm_as_a_prm_says_it_is_not_one()
    {
        using var temp = new TempDir();
        var lmDir = CausalLmFolder(temp.Path);
        var error = Assert.Throws<EngineException>(() => PrmCheckpoint.Load(lmDir));
        Assert.Contains("ForTokenClassification", error.Message);
    }

    [Fact]
    public void Step_logits_are_the_token_logits_at_the_chosen_positions_and_padding_changes_nothing()
    {
        using var temp = new TempDir();
        using var prm = PrmCheckpoint.FromCausalLM(CausalLmFolder(temp.Path), seed: 5);
        var scorer = new PrmScorer(prm, Tokenizer);
        var batched = scorer.ScoreMany(Trajectories, batchSize: 3);
        for (var i = 0; i < Trajectories.Length; i++)
        {
            var alone = scorer.Score(Trajectories[i].Prompt, Trajectories[i].Steps);
            Assert.Equal(alone.StepScores.Count, batched[i].StepScores.Count);
            for (var t = 0; t < alone.StepScores.Count; t++) Assert.Equal(alone.StepScores[t], batched[i].StepScores[t], 5);
        }

        var sequence = StepSequence.Build(Tokenizer, Trajectories[0].Prompt, Trajectories[0].Steps);
        using var ids = tensor(sequence.Ids.Select(i => (long)i).ToArray(), [1, sequence.Ids.Length]);
        using var rows = zeros(sequence.LabelPositions.Length, dtype: ScalarType.Int64);
        using var positions = tensor(sequence.LabelPositions.Select(p => (long)p).ToArray());
        using var noGrad = no_grad();
        using var all = prm.forward(ids);                                                      // (1, T, 2)
        using var picked = prm.StepLogits(ids, rows, positions);                               // (N, 2)
        using var expected = all[0].index_select(0, positions);
        Assert.True(picked.allclose(expected, rtol: 1e-5, atol: 1e-6));
        var probs = picked.softmax(-1)[.., 1].data<float>().ToArray();
        for (var t = 0; t < probs.Length; t++) Assert.Equal(probs[t], batched[0].StepScores[t], 5);
    }
}
