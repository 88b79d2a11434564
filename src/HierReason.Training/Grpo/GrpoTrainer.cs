using System.Diagnostics;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Generation;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Checkpoints;
using HierReason.Training.Experiments;
using HierReason.Training.Optim;
using HierReason.Training.Rewards;
using HierReason.Training.Rollouts;
using static TorchSharp.torch;

namespace HierReason.Training.Grpo;

/// <summary>
/// GRPO over many steps, wiring the separately tested pieces: the next <c>prompts_per_step</c> items (from the data, or a
/// <see cref="CurriculumSampler"/>) → G episodes each through the shared <see cref="EpisodeRunner"/> with a
/// <see cref="LocalPolicy"/> (the strategy's environment answering between turns) → <see cref="RolloutScores"/> →
/// <see cref="GroupAdvantages"/> (or, with <c>"advantage": "process"</c>, <see cref="ProcessAdvantages"/> per token) → <see cref="DynamicSampling"/> (refilled, as DAPO oversamples) → <see cref="GrpoUpdate"/>.
/// Too many skipped updates in a row stop the run.
/// </summary>
public sealed class GrpoTrainer : IDisposable
{
    public const string OptimizerFileName = TrainingCheckpoint.OptimizerFileName;

    private readonly CausalLM _model;
    private readonly ITokenizer _tokenizer;
    private readonly IReadOnlyList<TaskItem> _data;
    private readonly IReadOnlyDictionary<string, IReasoningTask> _tasks;
    private readonly IReadOnlyDictionary<string, WeightedRewards> _rewards;
    private readonly LoraAdapter? _adapter;
    private readonly long _seed;
    private readonly CurriculumSampler? _curriculum;
    private readonly EpisodeRunner _runner;
    private readonly LocalPolicy _policy;
    private readonly GrpoUpdate _update;
    private readonly ProcessSupervision? _process;

    public GrpoTrainer(CausalLM model, ITokenizer tokenizer, ChatTemplate template, GrpoSection settings, IReadOnlyList<TaskItem> data,
        IReadOnlyList<IReasoningTask> tasks, RewardRegistry? registry = null, LoraAdapter? adapter = null, CausalLM? reference = null,
        EpisodeStrategy? strategy = null, long seed = 0, CurriculumSampler? curriculum = null, GrpoEfficiency? efficiency = null)
    {
        settings.Options.Validate();
        if (data.Count == 0) throw new TrainingException("GRPO: no training items");
        if (settings.Options.NeedsReference && adapter is null && reference is null)
            throw new TrainingException("grpo: beta > 0 or label_kl > 0 needs a reference model (a LoRA adapter to disable, or a frozen copy)");
        _model = model;
        _tokenizer = tokenizer;
        _data = data;
        _tasks = tasks.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _rewards = tasks.ToDictionary(t => t.Name, t => WeightedRewards.FromWeights(
            settings.Rewards.TryGetValue(t.Name, out var w) ? w : new Dictionary<string, double> { ["correctness"] = 1.0 }, registry, settings.RewardSettings),
            StringComparer.Ordinal);
        _adapter = adapter;
        _seed = seed;
        _curriculum = curriculum;
        Settings = settings;
        Strategy = strategy ?? EpisodeStrategy.Vanilla;
        var options = settings.Options;
        Efficiency = efficiency ?? GrpoEfficiency.Default;
        var stopIds = template.StopIds(tokenizer).Concat(tokenizer.EosIds).Distinct().ToArray();
        // Before anything that holds native memory: a task without a step checker is a user error.
        _process = options.Advantage == AdvantageKind.Process ? ProcessSupervision.Create(settings, _tasks.Keys, tokenizer, stopIds) : null;
        _policy = new LocalPolicy(model, tokenizer, template, new PolicySampling(options.Temperature, options.TopP) { CompactBelow = Efficiency.CompactBelow, SharePromptPrefix = Efficiency.SharePromptPrefix },
            stopIds);
        _runner = new EpisodeRunner(_policy, Strategy, new EpisodeLimits(options.MaxCompletionLength));
        var mu = options.NumIterations;
        var trainable = adapter is null ? model.parameters() : adapter.Parameters();
        Optimizer = new TrainingOptimizer(trainable,
            new LearningRateSchedule(settings.LearningRate, settings.WarmupSteps * mu, settings.Steps * mu, settings.MinLearningRateRatio),
            settings.WeightDecay, settings.MaxGradNorm, kind: settings.Optimizer, momentum: settings.Momentum);
        _update = new GrpoUpdate(model, adapter, reference, Optimizer, options, settings.GradAccum, tokenizer.PadId, Efficiency);
    }

    public GrpoSection Settings { get; }

    /// <summary>Which compute-saving switches this trainer uses (all by default).</summary>
    public GrpoEfficiency Efficiency { get; }
    public TrainingOptimizer Optimizer { get; }

    /// <summary>How episodes run: the prompt, the environment between policy turns, where the answer is read.</summary>
    public EpisodeStrategy Strategy { get; }

    private GrpoOptions Options => Settings.Options;

    /// <summary>GRPO steps taken (one rollout batch each, skipped ones included).</summary>
    public int Step { get; private set; }

    /// <summary>Training items consumed; the next step's prompts start here (cycling through the data).</summary>
    public long DataPosition { get; private set; }

    /// <summary>Bad (skipped) steps in a row up to now.</summary>
    public int ConsecutiveBadSteps { get; private set; }

    /// <summary>The episodes of the last step, group-major (for inspection and tests).</summary>
    public IReadOnlyList<Episode> LastEpisodes { get; private set; } = [];

    /// <summary>
    /// The advantages of <see cref="LastEpisodes"/>, in the same order; with process advantages, each episode's mean over its
    /// policy tokens.
    /// </summary>
    public IReadOnlyList<double> LastAdvantages { get; private set; } = [];

    /// <summary>With <c>"advantage": "process"</c>, the per-token advantages of <see cref="LastEpisodes"/> (one per completion token); else null.</summary>
    public IReadOnlyList<float[]>? LastTokenAdvantages { get; private set; }

    /// <summary>One GRPO step; throws <see cref="TrainingException"/> when it is the <c>max_bad_steps</c>-th bad step in a row.</summary>
    public GrpoStepMetrics TrainStep()
    {
        var clock = Stopwatch.StartNew();
        var g = Options.NumGenerations;
        // Dropout (LoRA) draws from a seed fixed by the step, so a resumed run draws what a straight run would.
        TorchSharp.torch.random.manual_seed(unchecked(_seed * 1_000_003 + Step));
        var levels = _curriculum?.Levels;

        var (episodes, scores, groups, advantages, tokenAdvantages, rows, generation, generationSeconds, rewardSeconds, batches) = Rollout(Step);
        LastEpisodes = episodes;
        LastAdvantages = advantages;
        LastTokenAdvantages = tokenAdvantages;

        var metrics = new GrpoStepMetrics
        {
            Step = Step + 1,
            Reward = RewardStat.Of(scores.Totals),
            Rewards = scores.Components.ToDictionary(kv => kv.Key, kv => RewardStat.Of(kv.Value)),
            Accuracy = scores.Correct.Average(),
            Levels = levels,
            AccuracyByTask = episodes.Select((e, i) => (e.Item!.Task, i)).GroupBy(x => x.Task).ToDictionary(x => x.Key, x => x.Average(y => scores.Correct[y.i])),
            ZeroVarianceFraction = DynamicSampling.ZeroVarianceFraction(scores.Totals, g),
            TrainedGroups = groups.Length,
            GenerationBatches = batches,
            CompletionLengthMean = episodes.Average(e => e.PolicyTokenCount),
            CompletionLengthMin = episodes.Min(e => e.PolicyTokenCount),
            CompletionLengthMax = episodes.Max(e => e.PolicyTokenCount),
            TruncatedFraction = episodes.Count(e => e.Truncated) / (double)episodes.Count,
            EnvironmentTurns = episodes.Sum(e => e.EnvironmentTurns),
            GeneratedTokens = episodes.Sum(e => (long)e.PolicyTokenCount),
            PromptTokens = episodes.Where((_, i) => i % g == 0).Sum(e => (long)e.Prompt.TokenCount),
            GenerationSeconds = generationSeconds,
            DecodeRowSteps = generation.RowSteps,
            DecodeUsefulFraction = generation.UsefulFraction,
            GenerationFlops = generation.Flops,
            LearningRate = Optimizer.Schedule.At(Step * Options.NumIterations),
            ScoringSeconds = rewardSeconds,
        };

        string? badReason = scores.Totals.Any(t => !double.IsFinite(t)) ? "a reward is not finite" : null;
        if (badReason is null && rows.Length > 0)
        {
            var trained = rows.Select(r => episodes[r]).ToArray();
            var trainedAdvantages = rows.Select(r => advantages[r]).ToArray();
            var probeBefore = Settings.MeasureUpdate ? UpdateProbe.PolicyLogProbs(_model, trained, Options.Temperature, _tokenizer.PadId) : null;
            var update = UpdateOn(episodes, rows, advantages, tokenAdvantages);
            if (probeBefore is not null && update.BadReason is null)
            {
                var (rewarded, penalised) = UpdateProbe.Effect(probeBefore, UpdateProbe.PolicyLogProbs(_model, trained, Options.Temperature, _tokenizer.PadId), trainedAdvantages);
                metrics = metrics with { UpdateLogpRewarded = rewarded, UpdateLogpPenalised = penalised };
            }
            badReason = update.BadReason;
            metrics = metrics with
            {
                Loss = update.Loss,
                GradNorm = update.GradNorm,
                LearningRate = update.LearningRate,
                Kl = update.Kl,
                LabelKl = update.LabelKl,
                Entropy = update.Entropy,
                ClipRatio = update.ClipRatio,
                ClipLow = update.ClipLow,
                ClipHigh = update.ClipHigh,
                ActiveTokens = update.ActiveTokens,
                TrainedTokens = update.TrainedTokens,
                ScoredTokens = update.ScoredTokens,
                ScoringSeconds = rewardSeconds + update.ScoringSeconds,
                TrainingSeconds = update.TrainingSeconds,
                MicroBatches = update.MicroBatches,
                TrainedPositions = update.TrainedPositions,
                TrainedLossTokens = update.TrainedLossTokens,
                TrainingUsefulFraction = update.TrainedPositions > 0 ? update.TrainedLossTokens / (double)update.TrainedPositions : null,
                TrainingFlops = update.TrainingFlops,
                ScoringFlops = update.ScoringFlops,
            };
        }
        else Optimizer.StepCount = (Step + 1) * Options.NumIterations;

        Step++;
        var seconds = clock.Elapsed.TotalSeconds;
        metrics = metrics with
        {
            StepSeconds = seconds,
            GenerationTokensPerSecond = metrics.GeneratedTokens / Math.Max(generationSeconds, 1e-9),
            TrainingTokensPerSecond = metrics.TrainedTokens / Math.Max(metrics.TrainingSeconds, 1e-9),
            TokensPerSecond = metrics.GeneratedTokens / Math.Max(seconds, 1e-9),
        };
        if (badReason is null)
        {
            ConsecutiveBadSteps = 0;
            return metrics;
        }
        ConsecutiveBadSteps++;
        metrics = metrics with { Skipped = true, SkipReason = badReason };
        if (ConsecutiveBadSteps >= Settings.MaxBadSteps)
            throw new BadStepsException(metrics,
                $"grpo: stopping at step {Step}: {ConsecutiveBadSteps} consecutive steps were skipped (last: {badReason}); " +
                "lower grpo.learning_rate, check the rewards, or raise grpo.max_bad_steps");
        return metrics;
    }

    /// <summary>
    /// One step's rollouts at the seeds of step <paramref name="seedStep"/>, refilled while dynamic sampling has dropped
    /// groups (DAPO oversamples until the batch is full), scored, with group advantages and the rows to train on.
    /// </summary>
    private RolloutBatch Rollout(int seedStep)
    {
        var g = Options.NumGenerations;
        var episodes = new List<Episode>();
        RolloutScores? scores = null;
        var generationSeconds = 0.0;
        var rewardSeconds = 0.0;
        var batches = 0;
        int[] groups;
        _policy.TakeWork();
        while (true)
        {
            var rolloutClock = Stopwatch.StartNew();
            var items = Draw(Settings.PromptsPerStep);
            var batchSeed = unchecked(Options.Seed * 7_919 + seedStep);
            if (batches > 0) batchSeed = unchecked(batchSeed * 1_000_003 + batches);
            var batch = _runner.RunAsync(items, g, batchSeed).GetAwaiter().GetResult();
            generationSeconds += rolloutClock.Elapsed.TotalSeconds;
            var scoreClock = Stopwatch.StartNew();
            var batchScores = RolloutScores.Of(batch, _tasks, _rewards, Options.MaxCompletionLength, Strategy.Answers);
            for (var i = 0; i < batch.Count; i++) _curriculum?.Record(batch[i].Item!.Task, batchScores.Correct[i]);
            rewardSeconds += scoreClock.Elapsed.TotalSeconds;
            episodes.AddRange(batch);
            scores = scores is null ? batchScores : scores.Concat(batchScores);
            batches++;
            groups = Options.DynamicSampling ? DynamicSampling.InformativeGroups(scores.Totals, g) : Enumerable.Range(0, episodes.Count / g).ToArray();
            if (!Options.DynamicSampling || groups.Length >= Settings.PromptsPerStep || batches >= Settings.MaxGenerationBatches) break;
        }
        var generation = _policy.TakeWork();
        groups = groups.Take(Settings.PromptsPerStep).ToArray();
        var scoringClock = Stopwatch.StartNew();
        float[][]? tokenAdvantages = null;
        IReadOnlyList<double> advantages;
        if (_process is null)
            advantages = GroupAdvantages.ScaleNegatives(GroupAdvantages.Compute(scores.Totals, g, Options.ScaleRewards), Options.NegativeAdvantageScale);
        else
        {
            tokenAdvantages = _process.TokenAdvantages(episodes, scores.Totals, Options);
            advantages = episodes.Select((e, i) => ProcessSupervision.PolicyMean(tokenAdvantages[i], e)).ToArray();
        }
        rewardSeconds += scoringClock.Elapsed.TotalSeconds;
        return new RolloutBatch(episodes, scores, groups, advantages, tokenAdvantages, DynamicSampling.SampleIndices(groups, g), generation, generationSeconds, rewardSeconds, batches);
    }

    /// <summary>The policy update on the episodes at <paramref name="rows"/>: per token when the batch has token advantages, else one per episode.</summary>
    private GrpoUpdateResult UpdateOn(IReadOnlyList<Episode> episodes, int[] rows, IReadOnlyList<double> advantages, float[][]? tokenAdvantages,
        Action? beforeStep = null, bool apply = true)
    {
        var trained = rows.Select(r => episodes[r]).ToArray();
        return tokenAdvantages is null
            ? _update.Run(trained, rows.Select(r => advantages[r]).ToArray(), Step, beforeStep, apply)
            : _update.Run(trained, rows.Select(r => tokenAdvantages[r]).ToArray(), Step, beforeStep, apply);
    }

    private sealed record RolloutBatch(List<Episode> Episodes, RolloutScores Scores, int[] Groups, IReadOnlyList<double> Advantages, float[][]? TokenAdvantages,
        int[] Rows, GenerationWork Generation, double GenerationSeconds, double RewardSeconds, int Batches);

    /// <summary>
    /// The policy gradient of a fresh rollout batch drawn at the seeds of step <paramref name="seedStep"/> (consuming
    /// training items as a step does), flattened over the trainable parameters, without updating anything: weights,
    /// optimiser state and <see cref="Step"/> stay as they were. For <see cref="Diagnostics.GradientNoise"/>.
    /// </summary>
    public PolicyGradientSample SampleGradient(int seedStep)
    {
        var clock = Stopwatch.StartNew();
        TorchSharp.torch.random.manual_seed(unchecked(_seed * 1_000_003 + seedStep));
        var batch = Rollout(seedStep);
        var trained = batch.Rows.Select(r => batch.Episodes[r]).ToArray();
        float[]? gradient = null;
        if (trained.Length > 0)
            UpdateOn(batch.Episodes, batch.Rows, batch.Advantages, batch.TokenAdvantages, beforeStep: () => gradient ??= Flatten(Optimizer.Parameters), apply: false);
        return new PolicyGradientSample(gradient ?? new float[Optimizer.Parameters.Sum(p => p.numel())], trained.Length, batch.Scores.Correct.Average(),
            DynamicSampling.ZeroVarianceFraction(batch.Scores.Totals, Options.NumGenerations), batch.Episodes.Sum(e => (long)e.PolicyTokenCount), clock.Elapsed.TotalSeconds);
    }

    private static float[] Flatten(IReadOnlyList<TorchSharp.Modules.Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var parts = parameters.Select(p => p.grad is { } grad ? grad.detach().flatten().to(float32).cpu() : zeros(p.numel(), dtype: float32)).ToArray();
        return cat(parts).data<float>().ToArray();
    }

    /// <summary>The next <paramref name="count"/> training items: generated at each task's current level with a curriculum, else the fixed data, cycled.</summary>
    private TaskItem[] Draw(int count)
    {
        var items = new TaskItem[count];
        for (var i = 0; i < count; i++)
            items[i] = _curriculum is null ? _data[(int)(DataPosition++ % _data.Count)] : _curriculum.Draw(DataPosition++);
        return items;
    }

    /// <summary>Writes a checkpoint of the current step: weights (HF layout) or the adapter (PEFT layout), optimiser state, trainer state, tokenizer.</summary>
    public string SaveCheckpoint(CheckpointStore store) =>
        store.Save(Step, directory => TrainingCheckpoint.Write(directory, _model, _adapter, _tokenizer, Optimizer, State()));

    /// <summary>Restores weights (or adapter), optimiser, step and data position from a checkpoint folder.</summary>
    public void Restore(string directory)
    {
        var state = TrainingCheckpoint.Read(directory, _model, _adapter, Optimizer);
        Step = state.Step;
        Optimizer.StepCount = state.Step * Options.NumIterations;
        DataPosition = state.DataPosition;
        _curriculum?.Restore(state.Curriculum);
    }

    public TrainerState State() =>
        new(Step, DataPosition, _seed, Options.Seed, Optimizer.Schedule.At(Math.Max(Step * Options.NumIterations - 1, 0)), Settings.Steps,
            Curriculum: _curriculum?.Snapshot(), Origin: Origin);

    /// <summary>The experiment this run trains under, recorded in every checkpoint (set by <see cref="GrpoRun"/>; null for a bare trainer).</summary>
    public CheckpointOrigin? Origin { get; set; }

    public void Dispose()
    {
        Optimizer.Dispose();
        _process?.Dispose();
    }
}

/// <summary>The run stopped after too many consecutive skipped steps; <see cref="Last"/> is the last step's metrics line.</summary>
public sealed class BadStepsException(GrpoStepMetrics last, string message) : HierReason.Core.HierReasonException(message)
{
    public GrpoStepMetrics Last { get; } = last;
}
