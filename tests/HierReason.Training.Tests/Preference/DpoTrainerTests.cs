using System.Text.Json;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Lora;
using HierReason.Training.Preference;
using HierReason.Training.Sft;
using HierReason.Training.Tests.Sft;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Training.Tests.Preference;

public class DpoTrainerTests
{
    /// <summary>chain_sum prompts; chosen = the item's gold trace, rejected = a bare wrong guess (the answer plus one, no work).</summary>
    private static PreferencePair[] Pairs(int n = 20) =>
        TinyRun.Items(n).Select(item => new PreferencePair(item.Question, item.Solution, $"<answer>{long.Parse(item.Answer) + 1}</answer>")).ToArray();

    private static DpoExample[] Examples(IEnumerable<PreferencePair> pairs) =>
        pairs.Select(p => DpoExample.For(p, TinyRun.Tokenizer, TinyRun.Template, 256)).ToArray();

    [Fact]
    public void The_reference_with_the_adapter_off_scores_exactly_as_the_base_model()
    {
        using var model = TinyRun.Model(seed: 4);
        using var baseModel = model.FrozenCopy();
        var adapter = LoraAdapter.Attach(model, new LoraConfig { R = 4, Alpha = 8 }, seed: 1);
        using (no_grad())
            foreach (var p in adapter.Parameters()) p.add_(randn_like(p) * 0.5);  // a trained-looking adapter (B starts at 0)
        using var batch = DpoForward.Collate(Examples(Pairs(4)), TinyRun.Tokenizer.PadId, model.Device);
        using var reference = DpoReference.AdapterOff(model, adapter);

        var off = reference.LogProbs(batch).data<float>().ToArray();
        float[] expected, on;
        using (no_grad())
        {
            expected = DpoForward.LogProbs(baseModel, batch).data<float>().ToArray();
            on = DpoForward.LogProbs(model, batch).data<float>().ToArray();
        }

        Assert.Equal(expected, off);
        Assert.NotEqual(expected, on);
        Assert.True(adapter.Enabled);
    }

    [Fact]
    public void Response_masks_cover_the_responses_and_their_end_of_turn_only()
    {
        var pair = new PreferencePair("1 + 2 =", "ab", "xyz") { InitialReasonSteps = "s\n" };
        var example = DpoExample.For(pair, TinyRun.Tokenizer, TinyRun.Template, 256);
        var prompt = TinyRun.Tokenizer.Encode(SftExample.PromptText("1 + 2 =", TinyRun.Template) + "s\n").Length;
        Assert.Equal(prompt, example.Chosen.PromptLength);
        Assert.Equal(prompt, example.Rejected.PromptLength);
        Assert.Equal(2 + 1, example.Chosen.CompletionLength);   // byte tokens plus <|im_end|>
        Assert.Equal(3 + 1, example.Rejected.CompletionLength);
    }

    [Fact]
    public void Dpo_on_twenty_pairs_raises_the_margin_and_ranks_every_training_pair_right()
    {
        using var model = TinyRun.Model(seed: 3);
        using var reference = DpoReference.FrozenCopyOf(model);
        var settings = new DpoSettings { LearningRate = 3e-3, Epochs = 8, BatchSize = 4, Seed = 7 };
        using var trainer = new DpoTrainer(model, null, reference, TinyRun.Tokenizer, Examples(Pairs()), settings);

        var before = trainer.Measure();
        var epochs = trainer.Train();
        var after = trainer.Measure();

        Assert.Equal(40, trainer.Step);
        Assert.Equal(Math.Log(2), before.Loss, 5);        // policy = reference: z = 0 for every pair
        Assert.Equal(0.0, before.Metrics.RewardMargin, 5);
        Assert.Equal(1.0, after.Metrics.RewardAccuracy);
        Assert.True(after.Metrics.RewardMargin > 0.5, $"margin {after.Metrics.RewardMargin}");
        Assert.True(after.Loss < before.Loss / 2, $"loss {before.Loss} -> {after.Loss}");
        Assert.Equal(8, epochs.Count);
        Assert.True(epochs[^1].Metrics.RewardMargin > epochs[0].Metrics.RewardMargin);
    }

    [Fact]
    public void A_run_writes_metrics_checkpoints_the_model_and_the_summary()
    {
        var root = Directory.CreateTempSubdirectory("dpo-run-").FullName;
        try
        {
            var source = Path.Combine(root, "sft");
            using (var model = TinyRun.Model(seed: 2)) CheckpointSaver.Save(model, source);
            TinyRun.Tokenizer.Save(source);
            var data = Path.Combine(root, "pairs.jsonl");
            PreferencePairs.Write(data, Pairs(6));
            var output = Path.Combine(root, "dpo");
            var settings = new DpoSettings { LearningRate = 1e-3, Epochs = 1, BatchSize = 2, CheckpointEvery = 2 };

            using (var run = DpoRun.Create(source, data, output, settings, loraRank: 2))
            {
                var summary = run.Run();
                Assert.Equal(3, summary.Steps);
                Assert.Equal("adapter-off", summary.Reference);
            }

            Assert.Equal(3, File.ReadAllLines(Path.Combine(output, DpoRun.MetricsFileName)).Length);
            Assert.True(Directory.Exists(Path.Combine(output, "checkpoint-2")));
            Assert.True(File.Exists(Path.Combine(output, "checkpoint-3", "trainer_state.json")));
            Assert.True(File.Exists(Path.Combine(output, "model.safetensors")));
            Assert.True(File.Exists(Path.Combine(output, LoraAdapter.WeightsFileName)));
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, DpoRun.SummaryFileName)));
            Assert.Equal(6, json.RootElement.GetProperty("pairs").GetInt32());
            Assert.True(json.RootElement.TryGetProperty("both_logps_fell", out _));
            Assert.Equal(Math.Log(2), json.RootElement.GetProperty("before").GetProperty("loss").GetDouble(), 5);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Pairs_round_trip_through_jsonl_with_the_step_dpo_fields_only_when_present()
    {
        var path = Path.GetTempFileName();
        try
        {
            var step = new PreferencePair("q", "c", "r") { InitialReasonSteps = "a\n", FullChosen = "c\nd", FullRejected = "r\ne" };
            PreferencePairs.Write(path, [new PreferencePair("q", "c", "r"), step]);
            var lines = File.ReadAllLines(path);
            Assert.Equal("{\"prompt\":\"q\",\"chosen\":\"c\",\"rejected\":\"r\"}", lines[0]);
            Assert.Equal([new PreferencePair("q", "c", "r"), step], PreferencePairs.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
