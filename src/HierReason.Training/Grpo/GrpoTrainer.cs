using System.Diagnostics;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Generation;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Checkpoints;
using HierReason.Training.Episodes;
using HierReason.Training.Experiments;
using HierReason.Training.Optim;
using HierReason.Training.Rewards;
using HierReason.Training.Sft;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Training.Grpo;

/// <summary>
/// GRPO over many steps. Each step takes the next <c>prompts_per_step</c> training items (with a <see cref="CurriculumSampler"/>,
/// generated at each task's current level, the level moving with the completions' rolling accuracy), samples G episodes per prompt
/// (single-turn, or multi-turn through an <see cref="IEnvironment"/> whose segments are masked out of the loss), scores
/// them with the task's weighted rewards, computes group advantages, optionally keeps only informative groups, then runs
/// μ optimiser updates of <see cref="PolicyLoss"/> (old log-probs kept when μ &gt; 1) with gradient accumulation,
/// clipping and the warm-up + cosine schedule. A non-finite loss or gradient skips the update; too many in a row stop the run.
/// </summary>
public sealed class GrpoTrainer : IDisposable
{
    public const string OptimizerFileName = TrainingCheckpoint.OptimizerFileName;
    private const int TailTokens = 16;

    private readonly CausalLM _model;
    private readonly ITokenizer _tokenizer;
    private readonly ChatTemplate _template;
    private readonly IReadOnlyList<TaskItem> _data;
    private readonly IReadOnlyDictionary<string, IReasoningTask> _tasks;
    private readonly IReadOnlyDictionary<string, WeightedRewards> _rewards;
    private readonly LoraAdapter? _adapter;
    private readonly CausalLM? _reference;
    private readonly IEnvironment? _environment;
    private readonly long _seed;
    private readonly IReadOnlyList<int> _stopIds;
    private readonly CurriculumSampler? _curriculum;

    public GrpoTrainer(CausalLM model, ITokenizer tokenizer, ChatTemplate template, GrpoSection settings, IReadOnlyList<TaskItem> data,
        IReadOnlyList<IReasoningTask> tasks, RewardRegistry? registry = null, LoraAdapter? adapter = null, CausalLM? reference = null,
        IEnvironment? environment = null, long seed = 0, CurriculumSampler? curriculum = null)
    {
        settings.Options.Validate();
        if (data.Count == 0) throw new TrainingException("GRPO: no training items");
        if (settings.Options.Beta != 0 && adapter is null && reference is null)
            throw new TrainingException("grpo: beta > 0 needs a reference model (a LoRA adapter to disable, or a frozen copy)");
        _model = model;
        _tokenizer = tokenizer;
        _template = template;
        _data = data;
        _tasks = tasks.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _rewards = tasks.ToDictionary(t => t.Name, t => WeightedRewards.FromWeights(
            settings.Rewards.TryGetValue(t.Name, out var w) ? w : new Dictionary<string, double> { ["correctness"] = 1.0 }, registry, settings.RewardSettings),
            StringComparer.Ordinal);
        _adapter = adapter;
        _reference = reference;
        _environment = environment;
        _seed = seed;
        _curriculum = curriculum;
        _stopIds = template.StopIds(tokenizer).Concat(tokenizer.EosIds).Distinct().ToArray();
        Settings = settings;
        var mu = settings.Options.NumIterations;
        var trainable = adapter is null ? model.parameters() : adapter.Parameters();
        Optimizer = new TrainingOptimizer(trainable,
            new LearningRateSchedule(settings.LearningRate, settings.WarmupSteps * mu, settings.Steps * mu, settings.MinLearningRateRatio),
            settings.WeightDecay, settings.MaxGradNorm);
    }

    public GrpoSection Settings { get; }
    public TrainingOptimizer Optimizer { get; }
    private GrpoOptions Options => Settings.Options;

    /// <summary>GRPO steps taken (one rollout batch each, skipped ones included).</summary>
    public int Step { get; private set; }

    /// <summary>Training items consumed; the next step's prompts start here (cycling through the data).</summary>
    public long DataPosition { get; private set; }

    /// <summary>Bad (skipped) steps in a row up to now.</summary>
    public int ConsecutiveBadSteps { get; private set; }

    /// <summary>The episodes of the last step, group-major (for inspection and tests).</summary>
    public IReadOnlyList<Episode> LastEpisodes { get; private set; } = [];

    /// <summary>One GRPO step; throws <see cref="TrainingException"/> when it is the <c>max_bad_steps</c>-th bad step in a row.</summary>
    public GrpoStepMetrics TrainStep()
    {
        var clock = Stopwatch.StartNew();
        var g = Options.NumGenerations;
        // Dropout (LoRA) draws from a seed fixed by the step, so a resumed run draws what a straight run would.
        random.manual_seed(unchecked(_seed * 1_000_003 + Step));

        var items = new TaskItem[Settings.PromptsPerStep];
        // With a curriculum, item i is generated on demand at its task's current level; without, the fixed data cycles.
        var levels = _curriculum?.Levels;
        for (var i = 0; i < items.Length; i++)
            items[i] = _curriculum is null ? _data[(int)(DataPosition++ % _data.Count)] : _curriculum.Draw(DataPosition++);
        var prompts = items.Select(item => (IReadOnlyList<int>)_tokenizer.Encode(SftExample.PromptText(item.Question, _template))).ToArray();

        var episodes = Rollout(prompts, unchecked(Options.Seed * 7_919 + Step));
        LastEpisodes = episodes;
        var generationSeconds = clock.Elapsed.TotalSeconds;

        // Rewards.
        var scoreClock = Stopwatch.StartNew();
        var totals = new double[episodes.Length];
        var components = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var correct = new double[episodes.Length];
        for (var i = 0; i < episodes.Length; i++)
        {
            var item = items[i / g];
            var task = _tasks[item.Task];
            var episode = episodes[i];
            var ctx = new RewardContext(item, task, episode.CompletionText, episode.PolicyTokenCount, Options.MaxCompletionLength, episode.Truncated);
            var breakdown = _rewards[item.Task].Score(ctx);
            totals[i] = breakdown.Total;
            foreach (var (name, value) in breakdown.Components)
            {
                if (!components.TryGetValue(name, out var column)) components[name] = column = new double[episodes.Length];
                column[i] = value;
            }
            correct[i] = breakdown.Components.TryGetValue("correctness", out var c) ? c : task.Score(Core.Answers.AnswerExtractor.Extract(ctx.Completion), item);
            _curriculum?.Record(item.Task, correct[i]);
        }
        var advantages = GroupAdvantages.Compute(totals, g, Options.ScaleRewards);
        var zeroVariance = DynamicSampling.ZeroVarianceFraction(totals, g);
        var groups = Options.DynamicSampling ? DynamicSampling.InformativeGroups(totals, g) : Enumerable.Range(0, items.Length).ToArray();
        var rows = DynamicSampling.SampleIndices(groups, g);
        var rewardSeconds = scoreClock.Elapsed.TotalSeconds;

        var metrics = new GrpoStepMetrics
        {
            Step = Step + 1,
            Reward = RewardStat.Of(totals),
            Rewards = components.ToDictionary(kv => kv.Key, kv => RewardStat.Of(kv.Value)),
            Accuracy = correct.Average(),
            Levels = levels,
            AccuracyByTask = items.Select((item, k) => (item.Task, k)).GroupBy(x => x.Task)
                .ToDictionary(x => x.Key, x => x.SelectMany(y => Enumerable.Range(y.k * g, g)).Average(i => correct[i])),
            ZeroVarianceFraction = zeroVariance,
            TrainedGroups = groups.Length,
            CompletionLengthMean = episodes.Average(e => e.PolicyTokenCount),
            CompletionLengthMin = episodes.Min(e => e.PolicyTokenCount),
            CompletionLengthMax = episodes.Max(e => e.PolicyTokenCount),
            TruncatedFraction = episodes.Count(e => e.Truncated) / (double)episodes.Length,
            EnvironmentTurns = episodes.Sum(e => e.EnvironmentTurns),
            GeneratedTokens = episodes.Sum(e => (long)e.PolicyTokenCount),
            PromptTokens = prompts.Sum(p => (long)p.Count),
            GenerationSeconds = generationSeconds,
            LearningRate = Optimizer.Schedule.At(Step * Options.NumIterations),
        };

        string? badReason = totals.Any(t => !double.IsFinite(t)) ? "a reward is not finite" : null;
        if (badReason is null && rows.Length > 0)
            metrics = Optimise(episodes, rows, advantages, metrics, rewardSeconds, out badReason);
        else
            metrics = metrics with { ScoringSeconds = rewardSeconds };

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

    private GrpoStepMetrics Optimise(Episode[] episodes, int[] rows, double[] advantages, GrpoStepMetrics metrics, double rewardSeconds, out string? badReason)
    {
        badReason = null;
        var scoreClock = Stopwatch.StartNew();
        var trained = rows.Select(r => episodes[r]).ToArray();
        var rowAdvantages = rows.Select(r => advantages[r]).ToArray();
        var settings = PolicyLossSettings.From(Options);
        var accum = Math.Min(Settings.GradAccum, trained.Length);
        var chunks = Enumerable.Range(0, accum).Select(k =>
        {
            var start = trained.Length * k / accum;
            var end = trained.Length * (k + 1) / accum;
            return (Start: start, Count: end - start);
        }).Where(c => c.Count > 0).ToArray();
        var masks = CompletionMask.Build(trained, Options.MaskTruncatedCompletions);
        var activeTotal = 0.0;
        foreach (var v in masks) activeTotal += v;

        // Old (μ > 1) and reference (β ≠ 0) log-probs, per micro-batch, without gradients.
        var old = new Tensor?[chunks.Length];
        var reference = new Tensor?[chunks.Length];
        using (no_grad())
        {
            for (var k = 0; k < chunks.Length; k++)
            {
                var pairs = Pairs(trained, chunks[k]);
                if (Options.NumIterations > 1) old[k] = Score(_model, pairs).DetachFromDisposeScope();
                if (Options.Beta != 0) reference[k] = ReferenceScores(pairs).DetachFromDisposeScope();
            }
        }
        var scoringSeconds = rewardSeconds + scoreClock.Elapsed.TotalSeconds;
        var passes = (Options.NumIterations > 1 ? 1 : 0) + (Options.Beta != 0 ? 1 : 0);
        var scoredTokens = passes * chunks.Sum(c => ComputedTokens(Pairs(trained, c)));

        var trainClock = Stopwatch.StartNew();
        double? loss = null;
        double? gradNorm = null;
        double? entropy = null;
        double clip = 0, clipLow = 0, clipHigh = 0;
        double? kl = null;
        long active = 0;
        long trainedTokens = 0;
        var lr = metrics.LearningRate;
        try
        {
            _model.train();
            for (var iteration = 0; iteration < Options.NumIterations && badReason is null; iteration++)
            {
                Optimizer.ZeroGrad();
                var passLoss = 0.0;
                double klSum = 0, clipSum = 0, lowSum = 0, highSum = 0, entropySum = 0;
                long passActive = 0;
                for (var k = 0; k < chunks.Length; k++)
                {
                    using var scope = NewDisposeScope();
                    var (start, count) = chunks[k];
                    var pairs = Pairs(trained, chunks[k]);
                    var logProbs = Score(_model, pairs);                                                          // (b, T)
                    var mask = MaskSlice(masks, start, count, logProbs.shape[1], logProbs.device);              // (b, T)
                    var adv = tensor(rowAdvantages.AsSpan(start, count).ToArray(), dtype: ScalarType.Float32, device: logProbs.device);  // (b)
                    using var result = PolicyLoss.Compute(logProbs, old[k], reference[k], adv, mask, settings,
                        Options.LossType == LossType.Dapo ? Math.Max(1.0, activeTotal) : null);
                    // Every loss type but DAPO (which already divides by the whole batch's tokens) is a mean over its micro-batch.
                    var scaled = Options.LossType == LossType.Dapo ? result.Loss : result.Loss * ((double)count / trained.Length);
                    var value = scaled.ToDouble();
                    if (!double.IsFinite(value))
                    {
                        badReason = $"the loss is {value}";
                        break;
                    }
                    scaled.backward();
                    passLoss += value;
                    var n = result.Metrics.ActiveTokens;
                    passActive += n;
                    klSum += (result.Metrics.MeanKl ?? 0) * n;
                    clipSum += result.Metrics.ClipRegionFraction * n;
                    lowSum += result.Metrics.ClipLowFraction * n;
                    highSum += result.Metrics.ClipHighFraction * n;
                    if (iteration == 0) entropySum += -(logProbs.detach() * mask).sum().ToDouble();
                    trainedTokens += ComputedTokens(pairs);
                }
                if (badReason is not null)
                {
                    Optimizer.ZeroGrad();
                    break;
                }
                Optimizer.StepCount = (Step * Options.NumIterations) + iteration;
                if (Optimizer.TryStep() is not { } update)
                {
                    badReason = "the gradient norm is not finite";
                    break;
                }
                (gradNorm, lr) = update;
                loss = passLoss;
                active = passActive;
                var denominator = Math.Max(1, passActive);
                kl = Options.Beta != 0 ? klSum / denominator : null;
                clip = clipSum / denominator;
                clipLow = lowSum / denominator;
                clipHigh = highSum / denominator;
                if (iteration == 0) entropy = entropySum / denominator;
            }
        }
        finally
        {
            foreach (var t in old) t?.Dispose();
            foreach (var t in reference) t?.Dispose();
        }
        Optimizer.StepCount = (Step + 1) * Options.NumIterations;
        return metrics with
        {
            Loss = badReason is null ? loss : null,
            GradNorm = gradNorm,
            LearningRate = lr,
            Kl = kl,
            Entropy = entropy,
            ClipRatio = clip,
            ClipLow = clipLow,
            ClipHigh = clipHigh,
            ActiveTokens = active,
            TrainedTokens = trainedTokens,
            ScoredTokens = scoredTokens,
            ScoringSeconds = scoringSeconds,
            TrainingSeconds = trainClock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>G episodes per prompt, group-major: one sampled turn, then (with an environment) its answer and the next turn, until the policy stops, the environment has nothing to add, or the token budget is spent.</summary>
    internal Episode[] Rollout(IReadOnlyList<IReadOnlyList<int>> prompts, long seed)
    {
        var g = Options.NumGenerations;
        var budget = Options.MaxCompletionLength;
        var episodes = new Episode[prompts.Count * g];
        var reasons = new FinishReason[episodes.Length];
        var endedByEos = new bool[episodes.Length];
        var generator = new TokenGenerator(_model);
        Func<int, IReadOnlyList<int>, bool>? stop = _environment is null ? null : EndsTurn;

        var first = generator.Generate(prompts, GenerationOptions(budget, g, seed), stop);
        foreach (var s in first)
        {
            var index = s.PromptIndex * g + s.SampleIndex;
            var prompt = prompts[s.PromptIndex];
            episodes[index] = new Episode(new Segment(SegmentSource.Prompt, prompt, _tokenizer.Decode(prompt))).Append(PolicySegment(s.TokenIds));
            reasons[index] = s.FinishReason;
            endedByEos[index] = s.TokenIds.Count > 0 && _stopIds.Contains(s.TokenIds[^1]);
        }

        if (_environment is not null)
        {
            var open = Enumerable.Range(0, episodes.Length).Where(i => reasons[i] == FinishReason.Stop && !endedByEos[i]).ToList();
            for (var round = 1; open.Count > 0; round++)
            {
                var next = new List<int>();
                foreach (var i in open)
                {
                    if (_environment.Next(episodes[i]) is not { } answer) continue;
                    episodes[i] = episodes[i].Append(answer);
                    if (episodes[i].PolicyTokenCount >= budget) reasons[i] = FinishReason.Length;
                    else next.Add(i);
                }
                if (next.Count == 0) break;
                var remaining = next.Max(i => budget - episodes[i].PolicyTokenCount);
                var continued = generator.Generate(next.Select(i => episodes[i].TokenIds).ToArray(),
                    GenerationOptions(remaining, 1, unchecked(seed * 31 + round)), (k, ids) => EndsTurn(next[k], ids));
                open = [];
                foreach (var s in continued)
                {
                    var i = next[s.PromptIndex];
                    var left = budget - episodes[i].PolicyTokenCount;
                    var ids = s.TokenIds.Count > left ? s.TokenIds.Take(left).ToArray() : s.TokenIds;
                    episodes[i] = episodes[i].Append(PolicySegment(ids));
                    var eos = ids.Count > 0 && _stopIds.Contains(ids[^1]);
                    reasons[i] = s.TokenIds.Count > left || (s.FinishReason == FinishReason.Length && ids.Count == left) ? FinishReason.Length : s.FinishReason;
                    if (reasons[i] == FinishReason.Stop && !eos) open.Add(i);
                }
            }
        }
        for (var i = 0; i < episodes.Length; i++) episodes[i] = episodes[i].Finish(reasons[i]);
        return episodes;
    }

    private bool EndsTurn(int index, IReadOnlyList<int> ids)
    {
        if (ids.Count == 0 || _stopIds.Contains(ids[^1])) return false;
        var tail = _tokenizer.Decode(ids.Skip(Math.Max(0, ids.Count - TailTokens)).ToArray());
        return _environment!.EndsTurn(ids, tail);
    }

    private Segment PolicySegment(IReadOnlyList<int> ids) => new(SegmentSource.Policy, ids, _tokenizer.Decode(ids));

    private GenerationOptions GenerationOptions(int maxNewTokens, int samples, long seed) => new()
    {
        MaxNewTokens = maxNewTokens,
        Temperature = Options.Temperature,
        TopP = Options.TopP,
        NumSamples = samples,
        Seed = seed,
        EosTokenIds = _stopIds,
        PadTokenId = _tokenizer.PadId,
    };

    private static (IReadOnlyList<int>, IReadOnlyList<int>)[] Pairs(Episode[] episodes, (int Start, int Count) chunk) =>
        episodes.Skip(chunk.Start).Take(chunk.Count).Select(e => (e.Prompt.TokenIds, e.CompletionTokenIds)).ToArray();

    /// <summary>Tokens a scoring pass runs through the model: each distinct prompt once (the scorer shares it across its group) plus every completion.</summary>
    private static long ComputedTokens((IReadOnlyList<int>, IReadOnlyList<int>)[] pairs) =>
        pairs.Select(p => p.Item1).Distinct(TokenSequenceComparer.Instance).Sum(p => (long)p.Count) + pairs.Sum(p => (long)p.Item2.Count);

    private static Tensor MaskSlice(float[,] masks, int start, int count, long width, Device device)
    {
        var data = new float[count * width];
        for (var b = 0; b < count; b++)
            for (var t = 0; t < width && t < masks.GetLength(1); t++)
                data[b * width + t] = masks[start + b, t];
        return tensor(data, [count, width], ScalarType.Float32).to(device);
    }

    private Tensor ReferenceScores((IReadOnlyList<int>, IReadOnlyList<int>)[] pairs)
    {
        if (_adapter is not null)
        {
            using (_adapter.Disable()) return Score(_model, pairs);
        }
        return Score(_reference!, pairs);
    }

    private Tensor Score(CausalLM model, (IReadOnlyList<int>, IReadOnlyList<int>)[] pairs)
    {
        var scores = CompletionScorer.Score(model, pairs, Options.Temperature, _tokenizer.PadId);
        scores.Mask.Dispose();
        return scores.LogProbs;
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
            Curriculum: _curriculum?.Snapshot());

    public void Dispose() => Optimizer.Dispose();
}

/// <summary>The run stopped after too many consecutive skipped steps; <see cref="Last"/> is the last step's metrics line.</summary>
public sealed class BadStepsException(GrpoStepMetrics last, string message) : HierReason.Core.HierReasonException(message)
{
    public GrpoStepMetrics Last { get; } = last;
}
