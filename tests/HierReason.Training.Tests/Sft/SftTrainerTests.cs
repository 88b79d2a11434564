using HierReason.Training.Sft;

namespace HierReason.Training.Tests.Sft;

public class SftTrainerTests
{
    [Fact]
    public void Loss_decreases_over_30_steps_on_a_fixed_batch()
    {
        using var model = TinyRun.Model();
        // Two items and batch size 2: every step sees the same batch.
        using var trainer = new SftTrainer(model, TinyRun.Tokenizer, TinyRun.Template, TinyRun.Settings(30, lr: 1e-2), TinyRun.Items(2));
        var losses = Enumerable.Range(0, 30).Select(_ => trainer.TrainStep()).ToList();

        Assert.Equal(30, trainer.Step);
        Assert.Equal(60, trainer.DataPosition);
        Assert.True(losses[^1].Loss < 0.5 * losses[0].Loss, $"first {losses[0].Loss}, last {losses[^1].Loss}");
        Assert.All(losses, m => Assert.True(m.GradNorm > 0 && m.Tokens > 0));
    }

    [Fact]
    public void Metrics_are_one_json_line_per_step()
    {
        using var model = TinyRun.Model();
        using var trainer = new SftTrainer(model, TinyRun.Tokenizer, TinyRun.Template, TinyRun.Settings(3), TinyRun.Items(4));
        var writer = new StringWriter();
        trainer.Train(3, writer);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        using var last = System.Text.Json.JsonDocument.Parse(lines[2]);
        Assert.Equal(3, last.RootElement.GetProperty("step").GetInt32());
        foreach (var key in new[] { "loss", "lr", "grad_norm", "tokens_per_s", "step_time_s" })
            Assert.True(last.RootElement.GetProperty(key).GetDouble() > 0, key);
        // Step index 2 of warm-up 2 then cosine over 3: the decay's first point is the peak.
        Assert.Equal(3e-3, last.RootElement.GetProperty("lr").GetDouble(), 9);
    }

    [Fact]
    public void Frozen_models_are_refused()
    {
        using var model = TinyRun.Model();
        foreach (var p in model.parameters()) p.requires_grad = false;
        Assert.Throws<TrainingException>(() => new SftTrainer(model, TinyRun.Tokenizer, TinyRun.Template, TinyRun.Settings(1), TinyRun.Items(2)));
    }
}
