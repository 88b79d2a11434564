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
/// then answers are read from the strategy's answer source and scored by the task's verifier. Writes the samples
/// (<see cref="SampleLog"/>; each keeps its episode's segments when the strategy has an environment) and then the job result.
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
        var runner = new EpisodeRunner(Policy(job), strategy, new EpisodeLimits(Math.Max(1, job.Model.Generation.MaxTokens)));
        var transcripts = strategy.Environment is not null;

        var clock = Stopwatch.StartNew();
        var generationSeconds = 0.0;
        var samples = new List<SampleRecord>(job.N);
        var batchSize = Math.Max(1, job.BatchSize);
        for (var start = 0; start < dataset.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var items = Enumerable.Range(start, Math.Min(batchSize, dataset.Count - start)).Select(i => dataset[i]).ToList();
            var batchClock = Stopwatch.StartNew();
            var episodes = await runner.RunAsync(items, 1, (job.Model.Generation.Seed ?? job.Seed) + start, cancellationToken);
            var batchMs = batchClock.Elapsed.TotalMilliseconds;
            generationSeconds += batchClock.Elapsed.TotalSeconds;
            log?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{job.Key}: batch {start / batchSize + 1}/{(dataset.Count + batchSize - 1) / batchSize} ({batchMs:0} ms)"));
            for (var i = 0; i < items.Count; i++)
            {
                var episode = episodes[i];
                var extracted = episode.Answer(strategy.Answers);
                samples.Add(new SampleRecord(
                    items[i].Id,
                    Hash(strategy.Prompt(items[i])),
                    episode.CompletionText,
                    extracted,
                    dataset.Score(extracted, items[i]),
                    episode.IsWellFormed(strategy.Answers),
                    episode.PolicyTokenCount,
                    Math.Round(batchMs, 3),
                    EpisodeEnds.Name(episode.End ?? EpisodeEnd.Stop),
                    transcripts ? episode.Segments.Select(s => new SegmentRecord(s.Actor.Name, s.Text)).ToArray() : null,
                    transcripts && episode.Stats.Count > 0 ? episode.Stats : null));
            }
        }

        var result = Summarize(job, samples, generationSeconds, clock.Elapsed.TotalSeconds);
        SampleLog.Write(job.SamplesPath, samples);
        JobResultFile.Write(result, job.ResultPath);
        return result;
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

    /// <summary>The job result of a set of samples: mean, standard error clustered by question (Bessel's s/√n when all are distinct), format rate, mean tokens, throughput.</summary>
    public static JobResult Summarize(EvalJob job, IReadOnlyList<SampleRecord> samples, double generationSeconds, double wallSeconds)
    {
        var n = samples.Count;
        var squares = samples.Sum(s => s.Score * s.Score);
        // The prompt hash identifies the question: a repeated question is one cluster of the standard error.
        var sums = QuestionSums.Of(samples, s => s.PromptHash, s => s.Score);
        var tokens = samples.Sum(s => (long)s.Tokens);
        return new JobResult(
            job.Key, JobResult.Succeeded, job.Task, job.Model.Name, job.Split, job.Seed, n,
            sums.Mean, sums.StdErr, sums.Sum, squares,
            n == 0 ? 0 : samples.Count(s => s.FormatOk) / (double)n,
            n == 0 ? 0 : tokens / (double)n,
            generationSeconds > 0 ? tokens / generationSeconds : 0,
            Math.Round(wallSeconds, 3),
            job.Device,
            DateTimeOffset.UtcNow,
            Questions: sums.Questions,
            QuestionSquareSum: sums.ClusterSquareSum,
            QuestionCrossSum: sums.ClusterCrossSum,
            QuestionSizeSquareSum: sums.ClusterSizeSquareSum,
            Strategy: job.StrategyName);
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
