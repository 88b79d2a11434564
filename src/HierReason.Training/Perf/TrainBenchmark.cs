using System.Diagnostics;
using System.Text.Json.Nodes;
using HierReason.Core.Episodes;
using HierReason.Engine.Perf;
using HierReason.Training.Experiments;
using HierReason.Training.Grpo;
using HierReason.Training.Runs;
using HierReason.Training.Sft;

namespace HierReason.Training.Perf;

/// <summary>
/// The measurements behind <c>hierreason perf train</c>: the committed SFT and GRPO experiments for a few steps each, every
/// efficiency switch off (<see cref="Baseline"/>: SFT sharing only the whole batch's common start, rollouts decoding every
/// row to the end and prefilling every prompt whole, the update's rows in rollout order) and on (<see cref="Efficient"/>:
/// the defaults), alternating, against the matmul rate measured in the same run; SFT also with length bucketing
/// (<see cref="Bucketed"/>: the defaults plus <c>bucket_steps</c> 8).
/// Nothing is written to the experiments' output folders.
/// </summary>
public static class TrainBenchmark
{
    public const string Baseline = "baseline";
    public const string Efficient = "efficient";
    public const string Bucketed = "bucketed";

    /// <summary>The bucketing window <see cref="Bucketed"/> uses.</summary>
    public const int BucketSteps = 8;

    /// <param name="strategies">Builds a non-vanilla GRPO strategy by name (HierReason.Reasoning's registry).</param>
    /// <param name="progress">Told what runs next.</param>
    public static TrainBenchmarkResult Run(TrainBenchmarkSettings settings, Func<string, JsonObject, EpisodeStrategy>? strategies = null, Action<string>? progress = null)
    {
        settings.Validate();
        var clock = Stopwatch.StartNew();
        var sftConfig = settings.Sft ? ExperimentConfig.Load(settings.SftExperiment) : null;
        var grpoConfig = settings.Grpo ? GrpoConfig(settings.GrpoExperiment, settings.Model, settings.SftExperiment, "perf train") : null;
        progress?.Invoke("matmul rate");
        var loadBefore = RunBaseline.LoadAverage();
        var before = Matmul();

        var sft = new List<(string Mode, int Repeat, Func<double, SftRunSummary> Summary)>();
        var grpo = new List<(string Mode, int Repeat, Func<double, GrpoRunSummary> Summary)>();
        // First runs pay for JIT compilation and allocator growth; a short untimed pass of each keeps that out of the baseline.
        if (sftConfig is not null) MeasureSft(sftConfig, 2, Baseline);
        if (grpoConfig is not null) MeasureGrpo(grpoConfig, 1, GrpoEfficiency.Off, strategies);
        for (var repeat = 1; repeat <= settings.Repeats; repeat++)
        {
            foreach (var mode in new[] { Baseline, Efficient, Bucketed })
            {
                if (sftConfig is null) continue;
                progress?.Invoke($"sft {mode} {repeat}/{settings.Repeats}");
                sft.Add((mode, repeat, MeasureSft(sftConfig, settings.SftSteps, mode)));
            }
            foreach (var mode in new[] { Baseline, Efficient })
            {
                if (grpoConfig is null) continue;
                progress?.Invoke($"grpo {mode} {repeat}/{settings.Repeats}");
                grpo.Add((mode, repeat, MeasureGrpo(grpoConfig, settings.GrpoSteps, mode == Efficient ? GrpoEfficiency.Default : GrpoEfficiency.Off, strategies)));
            }
        }
        progress?.Invoke("matmul rate");
        var after = Matmul();
        // Ratios divide by the better of the two rates: the machine could do at least that much during the run.
        var rate = Math.Max(before, after);
        return new TrainBenchmarkResult(TorchSharp.torch.get_num_threads(), before, after, loadBefore, RunBaseline.LoadAverage(),
            sft.Select(m => new TrainBenchmarkResult.SftMeasurement(m.Mode, m.Repeat, m.Summary(rate))).ToArray(),
            grpo.Select(m => new TrainBenchmarkResult.GrpoMeasurement(m.Mode, m.Repeat, m.Summary(rate))).ToArray(),
            clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// A GRPO experiment to measure from <paramref name="model"/> (default: its own <c>model.from</c>, which must exist;
    /// <paramref name="sftExperiment"/> is what the error says to train first).
    /// </summary>
    internal static ExperimentConfig GrpoConfig(string experiment, string? model, string sftExperiment, string command)
    {
        var config = ExperimentConfig.Load(experiment);
        if (config.Grpo is null) throw new TrainingException($"{experiment}: no \"grpo\" section; {command} needs a GRPO experiment");
        if (model is not null)
        {
            if (!Directory.Exists(model)) throw new TrainingException($"--model: the folder '{model}' does not exist");
            config = config with { Model = config.Model with { Path = model, From = model } };
        }
        else if (config.Model.Path is { } path && !Directory.Exists(path))
            throw new TrainingException($"{experiment}: $.model.from: the model folder '{config.Model.From ?? path}' does not exist; " +
                $"train it first (hierreason train {sftExperiment}) or pass --model DIR");
        return config;
    }

    /// <summary>Trains <paramref name="steps"/> SFT steps from scratch; the summary is made once the matmul rate is known.</summary>
    private static Func<double, SftRunSummary> MeasureSft(ExperimentConfig config, int steps, string mode)
    {
        var sft = config.Sft with { BucketSteps = mode == Bucketed ? BucketSteps : 1 };
        // Measuring writes nothing into the experiment's output folder, so it neither checks nor clears it.
        using var run = SftRun.Build(config with { Sft = sft }, start: null, groupRows: mode != Baseline);
        var metrics = new List<SftStepMetrics>();
        run.Trainer.Train(steps, onStep: metrics.Add);
        var (step, n) = (run.Trainer.Step, DecoderCost.MatmulParameters(DecoderShape.Of(run.Model.Config)));
        return rate => SftRunSummary.Of(config.Name, metrics, step, sft.BucketSteps, n, rate);
    }

    /// <summary>Takes <paramref name="steps"/> GRPO steps from the experiment's starting model; the summary is made once the matmul rate is known.</summary>
    private static Func<double, GrpoRunSummary> MeasureGrpo(ExperimentConfig config, int steps, GrpoEfficiency efficiency, Func<string, JsonObject, EpisodeStrategy>? strategies)
    {
        using var run = GrpoRun.Build(config, start: null, strategies: strategies, efficiency: efficiency);
        var metrics = new List<GrpoStepMetrics>();
        for (var i = 0; i < steps; i++) metrics.Add(run.Trainer.TrainStep());
        var (step, n) = (run.Trainer.Step, DecoderCost.MatmulParameters(DecoderShape.Of(run.Model.Config)));
        return rate => GrpoRunSummary.Of(config.Name, metrics, step, n, rate);
    }

    private static double Matmul() =>
        MachineBaseline.Measure(TorchSharp.torch.CPU, new BaselineSettings(MatmulSize: 1024, CopyBytes: 16L << 20, Repeats: 5, BFloat16: false)).Float32FlopsPerSecond;
}
