using System.Diagnostics;
using System.IO.Hashing;
using System.Text;
using HierReason.Backends;
using HierReason.Core;
using HierReason.Core.Episodes;
using HierReason.Core.Results;
using HierReason.Core.Runs;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Reasoning.Policies;
using HierReason.Reasoning.Strategies;
using HierReason.Training.Rollouts;

namespace HierReason.Reasoning.Evaluation;

/// <summary>
/// Runs one <see cref="EvalJob"/> against a loaded backend: the task's items become episodes of the job's strategy
/// (vanilla: the universal prompt and one turn), run in batches through the shared <see cref="EpisodeRunner"/> — on the
/// local engine with the same <see cref="LocalPolicy"/> GRPO rolls out with, elsewhere through a <see cref="BackendPolicy"/> —
/// then answers are read from the strategy's answer source and scored by the task's verifier. With models.json's
/// <c>generation.n</c> = k &gt; 1 each item runs as a group of k episodes (one line per sample, item-major, with its index).
/// Writes the samples (<see cref="SampleLog"/>; each keeps its episode's segments when the strategy has an environment) and
/// then the job result, with the answer-collapse diagnostics (<see cref="AnswerTally"/>).
/// </summary>
public sealed class JobEvaluator(IModelBackend backend, TaskRegistry registry, Action<string>? log = null, StrategyRegistry? strategies = null,
    IReadOnlyDictionary<string, IModelBackend>? roleModels = null)
{
    /// <summary>Runs the job and writes its files; returns the result written.</summary>
    public async Task<JobResult> RunAsync(EvalJob job, CancellationToken cancellationToken = default)
    {
        var task = registry.TryGet(job.Task) ?? throw new HierReasonException($"{job.ResultPath}: unknown task '{job.Task}'");
        var config = task.ParseConfig(job.Config, JobFile(job), "$.config");
        var dataset = TaskDataset.Create(task, Splits.Parse(job.Split), job.Seed, job.N, config, job.Level);
        // The options were checked when the job was made; checking again here names the job file if it was edited since.
        var options = StrategyCatalog.Default.Get(job.StrategyName, JobFile(job), "$.strategy.name").Options(job.Strategy?.Options, JobFile(job), "$.strategy.options");
        var strategy = (strategies ?? StrategyRegistry.Default).Create(job.StrategyName,
            new StrategyContext(options, roleModels ?? new Dictionary<string, IModelBackend>()));
        var selection = strategy.Selection;
        if (selection is not null && job.Model.Generation.Samples > 1)
            throw new HierReasonException($"{JobFile(job)}: strategy '{strategy.Name}' samples its own candidates (its option n); set the model's generation.n to 1");
        // A selection strategy samples its candidates at its own temperature and top-p.
        var policyJob = selection is null ? job
            : job with { Model = job.Model with { Generation = job.Model.Generation with { Temperature = selection.Temperature, TopP = selection.TopP } } };
        var runner = new EpisodeRunner(strategy.OwnPolicy ?? Policy(policyJob), strategy, new EpisodeLimits(Math.Max(1, job.Model.Generation.MaxTokens)));
        var transcripts = strategy.Environment is not null || selection is not null;
        var candidates = selection?.Samples ?? 1;

        var clock = Stopwatch.StartNew();
        var generationSeconds = 0.0;
        // k samples per item run as one group each, so the policy prefills each prompt once for its k samples; a batch holds
        // whole groups, about BatchSize rows.
        var k = Math.Max(1, job.Model.Generation.Samples);
        var samples = new List<SampleRecord>(job.N * k);
        var configHash = TaskConfigHash.Of(job.Task, job.Config, job.Level);
        var promptsWritten = new HashSet<string>();
        var itemsPerBatch = Math.Max(1, job.BatchSize / (k * candidates));
        var batches = (dataset.Count + itemsPerBatch - 1) / itemsPerBatch;
        for (var start = 0; start < dataset.Count; start += itemsPerBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var items = Enumerable.Range(start, Math.Min(itemsPerBatch, dataset.Count - start)).Select(i => dataset[i]).ToList();
            var batchClock = Stopwatch.StartNew();
            var episodes = await runner.RunAsync(items, k * candidates, (job.Model.Generation.Seed ?? job.Seed) + start, cancellationToken);
            if (selection is not null) episodes = Select(items, episodes, selection, strategy.Answers, dataset);
            var batchMs = batchClock.Elapsed.TotalMilliseconds;
            generationSeconds += batchClock.Elapsed.TotalSeconds;
            log?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{job.Key}: batch {start / itemsPerBatch + 1}/{batches} ({batchMs:0} ms)"));
            for (var i = 0; i < items.Count; i++)
            {
                var promptHash = Hash(strategy.Prompt(items[i]));
                var firstOfPrompt = promptsWritten.Add(promptHash);
                for (var sample = 0; sample < k; sample++)
                {
                    var episode = episodes[i * k + sample]; // group-major: item i's k episodes are consecutive
                    var extracted = episode.Answer(strategy.Answers);
                    samples.Add(new SampleRecord(
                        items[i].Id,
                        promptHash,
                        episode.CompletionText,
                        extracted,
                        dataset.Score(extracted, items[i]),
                        episode.IsWellFormed(strategy.Answers),
                        episode.PolicyTokenCount,
                        Math.Round(episode.LatencyMs ?? batchMs, 3),
                        EpisodeEnds.Name(episode.End ?? EpisodeEnd.Stop),
                        transcripts ? episode.Segments.Select(s => new SegmentRecord(s.Actor.Name, s.Text, s.Metadata)).ToArray() : null,
                        transcripts && episode.Stats.Count > 0 ? episode.Stats : null,
                        Sample: k > 1 ? sample : null,
                        Question: items[i].Question,
                        Gold: items[i].Answer,
                        Prompt: firstOfPrompt && sample == 0 ? episode.Prompt.Text : null,
                        Level: job.Level,
                        ConfigHash: configHash));
                }
            }
        }

        // The diagnostics describe the answers the accuracy scores: each item's first sample.
        var all = Enumerable.Range(0, dataset.Count).Select(i => dataset[i]).ToList();
        var answers = AnswerTally.Of(samples.Where((_, i) => i % k == 0).Select(s => s.Extracted).ToList(), all, item => item.Answer, dataset.Score);
        var result = Summarize(job, samples, generationSeconds, clock.Elapsed.TotalSeconds, answers);
        SampleLog.Write(job.SamplesPath, samples);
        JobResultFile.Write(result, job.ResultPath);
        return result;
    }

    /// <summary>
    /// Each item's kept candidate (group-major input: item i's candidates are consecutive), with what the selection saw as
    /// its statistics: <c>pass_at_n</c> (some candidate right), <c>agreement</c> (the share of candidates giving the kept
    /// answer) and <c>answered</c> (the share giving any answer).
    /// </summary>
    private static IReadOnlyList<Episode> Select(IReadOnlyList<TaskItem> items, IReadOnlyList<Episode> episodes, SampleSelection selection, AnswerSource answers, TaskDataset dataset)
    {
        var n = selection.Samples;
        var kept = new Episode[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var group = episodes.Skip(i * n).Take(n).ToList();
            var index = selection.Selector.Select(items[i], group, answers);
            if (index < 0 || index >= n) throw new InvalidOperationException($"a selector chose candidate {index} of {n}");
            var raw = group.Select(e => e.Answer(answers)).ToList();
            var given = raw.Select(a => a?.Trim()).ToList();
            var answer = given[index];
            kept[i] = group[index].AddStats(new Dictionary<string, double>
            {
                ["pass_at_n"] = raw.Max(a => dataset.Score(a, items[i])),
                ["agreement"] = answer is null ? 0 : given.Count(a => a == answer) / (double)n,
                ["answered"] = given.Count(a => a is not null) / (double)n,
            });
        }
        return kept;
    }

    /// <summary>
    /// The policy that writes the job's turns: the local engine on token ids (the model's chat template, a named one, or
    /// "plain" text), or the backend's API on text (its own template, or text rendered here).
    /// </summary>
    private IEpisodePolicy Policy(EvalJob job)
    {
        var generation = job.Model.Generation;
        var name = job.Model.ChatTemplate;
        if (backend is LocalModelBackend local)
        {
            var model = local.Model;
            var template = name is null ? model.ChatTemplate : name == "plain" ? null : ChatTemplates.Get(name);
            return new LocalPolicy(model.Model, model.Tokenizer, template,
                new PolicySampling(generation.Temperature, generation.TopP) { Stop = generation.Stop }, model.StopIds);
        }
        var sampling = new SamplingSettings { Temperature = generation.Temperature, TopP = generation.TopP, Stop = generation.Stop };
        return name is null
            ? new BackendPolicy(backend, PromptMode.Chat, null, sampling)
            : new BackendPolicy(backend, PromptMode.Text, name == "plain" ? null : ChatTemplates.Get(name), sampling);
    }

    /// <summary>
    /// The job result of a set of samples (item-major, k = the job's <see cref="GenerationSpec.Samples"/> per item): mean
    /// and standard error of each item's first sample, clustered by question (Bessel's s/√n when all are distinct); with
    /// k &gt; 1 pass@k, maj@k, the mean one-sample accuracy and the unbiased pass@1 … pass@k curve (<see cref="SampledResult"/>); format rate, mean tokens and
    /// throughput over every sample; the answer diagnostics of <paramref name="answers"/> when given.
    /// </summary>
    public static JobResult Summarize(EvalJob job, IReadOnlyList<SampleRecord> samples, double generationSeconds, double wallSeconds, AnswerTally? answers = null)
    {
        var k = Math.Max(1, job.Model.Generation.Samples);
        if (samples.Count % k != 0) throw new ArgumentException($"{samples.Count} samples are not {k} per item");
        var first = samples.Where((_, i) => i % k == 0).ToList();
        var n = first.Count;
        var squares = first.Sum(s => s.Score * s.Score);
        // The prompt hash identifies the question: a repeated question is one cluster of the standard error.
        var sums = QuestionSums.Of(first, s => s.PromptHash, s => s.Score);
        var tokens = samples.Sum(s => (long)s.Tokens);
        var sampled = k > 1 ? SampledResult.OfScored(samples.Select(s => (s.Extracted, s.Score)).ToList(), k, job.Model.Generation.Temperature) : null;
        return new JobResult(
            job.Key, JobResult.Succeeded, job.Task, job.Model.Name, job.Split, job.Seed, n,
            sums.Mean, sums.StdErr, sums.Sum, squares,
            samples.Count == 0 ? 0 : samples.Count(s => s.FormatOk) / (double)samples.Count,
            samples.Count == 0 ? 0 : tokens / (double)samples.Count,
            generationSeconds > 0 ? tokens / generationSeconds : 0,
            Math.Round(wallSeconds, 3),
            job.Device,
            DateTimeOffset.UtcNow,
            Questions: sums.Questions,
            QuestionSquareSum: sums.ClusterSquareSum,
            QuestionCrossSum: sums.ClusterCrossSum,
            QuestionSizeSquareSum: sums.ClusterSizeSquareSum,
            Strategy: job.StrategyName,
            SamplesPerItem: k > 1 ? k : null,
            PassAtK: sampled?.PassAtK,
            MajAtK: sampled?.MajAtK,
            SampleAccuracy: sampled?.SampleAccuracy,
            DistinctAnswers: answers?.DistinctAnswers,
            GoldDistinctAnswers: answers?.GoldDistinctAnswers,
            TopAnswerShare: answers?.TopAnswerShare,
            ConstantAnswerAccuracy: answers?.ConstantAnswerAccuracy,
            Answers: answers,
            // A sample with segments ran a strategy's environment: its statistics count, with whether its policy turn was cut off.
            Stats: EpisodeStats.Of(first.Select(s => s.Segments is null ? null : EpisodeStats.Episode(s.Stats, s.FinishReason == EpisodeEnds.Name(EpisodeEnd.Length))).ToList()),
            Level: job.Level,
            ConfigHash: TaskConfigHash.Of(job.Task, job.Config, job.Level),
            CheckpointHash: job.Model.FixedCheckpointHash,
            PassAt: sampled?.PassAt);
    }

    /// <summary>A synthetic job (scheduler benchmarks): sleeps <see cref="EvalJob.SyntheticMs"/> and writes an empty-scored result.</summary>
    public static async Task<JobResult> RunSyntheticAsync(EvalJob job, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        await Task.Delay(job.SyntheticMs ?? 0, cancellationToken);
        var result = Summarize(job, [], 0, clock.Elapsed.TotalSeconds);
        SampleLog.Write(job.SamplesPath, []);
        JobResultFile.Write(result, job.ResultPath);
        return result;
    }

    private static string JobFile(EvalJob job) => string.IsNullOrEmpty(job.ResultPath) ? "job" : RunLayout.Containing(job.ResultPath).JobFilePath(job.Key);

    private static string Hash(string text) => Convert.ToHexStringLower(XxHash3.Hash(Encoding.UTF8.GetBytes(text)));
}
