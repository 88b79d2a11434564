using System.Diagnostics;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using HierReason.Core;
using HierReason.Core.Answers;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Prompts;
using HierReason.Core.Results;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;

namespace HierReason.Backends.Evaluation;

/// <summary>
/// Runs one <see cref="EvalJob"/> against a loaded backend: the task's items as prompts (universal instruction +
/// question, through the chat template), generated in batches, answers extracted and scored by the task's verifier.
/// Writes the samples (JSONL, atomically) and then the job result.
/// </summary>
public sealed class JobEvaluator(IModelBackend backend, TaskRegistry registry, Action<string>? log = null)
{
    /// <summary>Runs the job and writes its files; returns the result written.</summary>
    public async Task<JobResult> RunAsync(EvalJob job, CancellationToken cancellationToken = default)
    {
        var task = registry.TryGet(job.Task) ?? throw new HierReasonException($"{job.ResultPath}: unknown task '{job.Task}'");
        var config = task.ParseConfig(job.Config, JobFile(job), "$.config");
        var dataset = TaskDataset.Create(task, Splits.Parse(job.Split), job.Seed, job.N, config, job.Level);
        var template = job.Model.ChatTemplate is { } name and not "plain" ? ChatTemplates.Get(name) : null;

        var clock = Stopwatch.StartNew();
        var generationSeconds = 0.0;
        var samples = new List<SampleRecord>(job.N);
        var batchSize = Math.Max(1, job.BatchSize);
        for (var start = 0; start < dataset.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var items = Enumerable.Range(start, Math.Min(batchSize, dataset.Count - start)).Select(i => dataset[i]).ToList();
            var prompts = items.Select(item => TaskPrompt.For(item.Question)).ToList();
            var settings = new SamplingSettings
            {
                Temperature = job.Model.Generation.Temperature,
                TopP = job.Model.Generation.TopP,
                MaxTokens = job.Model.Generation.MaxTokens,
                Stop = job.Model.Generation.Stop,
                Seed = (job.Model.Generation.Seed ?? job.Seed) + start,
            };
            var batchClock = Stopwatch.StartNew();
            var completions = await Generate(prompts, template, job.Model.ChatTemplate == "plain", settings, cancellationToken);
            var batchMs = batchClock.Elapsed.TotalMilliseconds;
            generationSeconds += batchClock.Elapsed.TotalSeconds;
            log?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{job.Key}: batch {start / batchSize + 1}/{(dataset.Count + batchSize - 1) / batchSize} ({batchMs:0} ms)"));
            for (var i = 0; i < items.Count; i++)
            {
                var completion = completions[i][0];
                var extracted = AnswerExtractor.Extract(completion.Text);
                samples.Add(new SampleRecord(
                    items[i].Id,
                    Hash(prompts[i]),
                    completion.Text,
                    extracted,
                    dataset.Score(extracted, items[i]),
                    AnswerExtractor.IsWellFormed(completion.Text),
                    completion.CompletionTokens,
                    Math.Round(batchMs, 3),
                    completion.FinishReason));
            }
        }

        var result = Summarize(job, samples, generationSeconds, clock.Elapsed.TotalSeconds);
        WriteSamples(job.SamplesPath, samples);
        if (!string.IsNullOrEmpty(job.ResultPath)) AtomicFile.WriteAllText(job.ResultPath, JsonSerializer.Serialize(result, HierJson.Indented) + "\n");
        return result;
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
            QuestionSizeSquareSum: sums.ClusterSizeSquareSum);
    }

    /// <summary>A synthetic job (scheduler benchmarks): sleeps <see cref="EvalJob.SyntheticMs"/> and writes an empty-scored result.</summary>
    public static async Task<JobResult> RunSyntheticAsync(EvalJob job, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        await Task.Delay(job.SyntheticMs ?? 0, cancellationToken);
        var result = Summarize(job, [], 0, clock.Elapsed.TotalSeconds);
        WriteSamples(job.SamplesPath, []);
        if (!string.IsNullOrEmpty(job.ResultPath)) AtomicFile.WriteAllText(job.ResultPath, JsonSerializer.Serialize(result, HierJson.Indented) + "\n");
        return result;
    }

    // "plain" completes the prompt text as is; a named template renders the conversation here and completes the text;
    // no template lets the backend apply the model's own.
    private async Task<IReadOnlyList<IReadOnlyList<Completion>>> Generate(IReadOnlyList<string> prompts, ChatTemplate? template, bool plain, SamplingSettings settings, CancellationToken cancellationToken)
    {
        if (plain) return await backend.CompleteAsync(prompts, settings, cancellationToken);
        if (template is not null)
        {
            var rendered = prompts.Select(p => template.Render([new ChatMessage("user", p)], addGenerationPrompt: true)).ToList();
            return await backend.CompleteAsync(rendered, settings, cancellationToken);
        }
        var conversations = prompts.Select(p => (IReadOnlyList<Message>)[new Message("user", p)]).ToList();
        return await backend.ChatAsync(conversations, settings, cancellationToken);
    }

    // Through a temp file of this process: two workers of one job (a rerun beside an old worker) never share a temp
    // file, and each rename puts a complete file in place.
    private static void WriteSamples(string path, IReadOnlyList<SampleRecord> samples)
    {
        if (string.IsNullOrEmpty(path)) return;
        AtomicFile.Write(path, writer =>
        {
            foreach (var sample in samples) writer.WriteLine(JsonSerializer.Serialize(sample, HierJson.Options));
        });
    }

    private static string JobFile(EvalJob job) => string.IsNullOrEmpty(job.ResultPath) ? "job" : Path.ChangeExtension(job.ResultPath, ".job.json");

    private static string Hash(string text) => Convert.ToHexStringLower(XxHash3.Hash(Encoding.UTF8.GetBytes(text)));
}
