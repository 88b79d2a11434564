using System.Diagnostics;
using HierReason.Backends.OpenAi;
using HierReason.Engine.Inference;

namespace HierReason.Backends.Serving;

/// <summary>What <c>hierreason perf serve</c> measures with.</summary>
/// <param name="Clients">Concurrent client counts to measure; the first is the baseline of the ratio.</param>
/// <param name="Seconds">How long each client count runs (after a warm-up).</param>
/// <param name="MaxTokens">Completion budget per request.</param>
/// <param name="Batching">The server's batching (<see cref="ServeOptions.Batching"/>).</param>
/// <param name="LongMaxTokens">A mixed workload when set: every other request of each client asks for this many tokens
/// instead of <paramref name="MaxTokens"/>, and the short requests' latency is reported on its own (what a short request
/// waits for when long ones share its batch).</param>
public sealed record ServeBenchmarkSettings(IReadOnlyList<int> Clients, double Seconds = 10, int MaxTokens = 16, int MaxBatch = 64, double WarmUpSeconds = 2, int? Threads = null,
    ServeBatching Batching = ServeBatching.Continuous, int? LongMaxTokens = null)
{
    public static ServeBenchmarkSettings Default { get; } = new([1, 32]);
}

/// <summary>
/// One client count's measurement; <c>EngineBusyFraction</c> is the share of the wall time the engine spent decoding,
/// <c>JoinPrefillFraction</c> the share of that busy time spent prefilling joiners (continuous batching). In a
/// mixed workload (<see cref="ServeBenchmarkSettings.LongMaxTokens"/>) the short and long requests' latencies are also
/// given apart; otherwise those are null.
/// </summary>
public sealed record ServePhase(
    int Clients,
    int Requests,
    long CompletionTokens,
    double Seconds,
    double RequestsPerSecond,
    double TokensPerSecond,
    double LatencyP50Ms,
    double LatencyP90Ms,
    double LatencyP99Ms,
    double MeanBatchRows,
    double EngineBusyFraction,
    double JoinPrefillFraction,
    double? ShortLatencyP50Ms = null,
    double? ShortLatencyP99Ms = null,
    double? LongLatencyP50Ms = null);

/// <summary>The serving benchmark's result: each phase and the throughput ratios of the last phase to the first; <c>LoadAverage</c> is the machine's 1-minute load at the end.</summary>
public sealed record ServeBenchmarkResult(
    string Model,
    int MaxTokens,
    int MaxBatch,
    IReadOnlyList<ServePhase> Phases,
    double RequestsRatio,
    double TokensRatio,
    double TargetRatio,
    bool MeetsTarget,
    double? LoadAverage);

/// <summary>
/// Serves the untrained tiny model in-process on loopback and drives it with closed-loop clients (each sends its next
/// request when the last is answered), through the real OpenAI client and the real Kestrel server.
/// </summary>
public static class ServeBenchmark
{
    public const double Target = 10.0;

    public static async Task<ServeBenchmarkResult> RunAsync(ServeBenchmarkSettings settings, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var dir = Path.Combine(Path.GetTempPath(), "hierreason-perf-serve-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            LocalModel.InitTiny(dir, seed: 0);
            await using var server = await OpenAiServer.StartAsync(new ServeOptions
            {
                ModelDir = dir,
                ServedModelName = "tiny",
                Port = 0,
                MaxBatch = settings.MaxBatch,
                Batching = settings.Batching,
                Threads = settings.Threads,
            }, cancellationToken).ConfigureAwait(false);
            var phases = new List<ServePhase>();
            foreach (var clients in settings.Clients)
            {
                progress?.Invoke($"{clients} client(s): warming up");
                await Drive(server, clients, settings, TimeSpan.FromSeconds(settings.WarmUpSeconds), cancellationToken).ConfigureAwait(false);
                progress?.Invoke($"{clients} client(s): measuring for {settings.Seconds:0.#} s");
                phases.Add(await Drive(server, clients, settings, TimeSpan.FromSeconds(settings.Seconds), cancellationToken).ConfigureAwait(false));
            }
            var first = phases[0];
            var last = phases[^1];
            var requestsRatio = last.RequestsPerSecond / first.RequestsPerSecond;
            var tokensRatio = last.TokensPerSecond / first.TokensPerSecond;
            return new ServeBenchmarkResult("tiny (untrained, byte tokenizer)", settings.MaxTokens, settings.MaxBatch, phases,
                Math.Round(requestsRatio, 2), Math.Round(tokensRatio, 2), Target, tokensRatio >= Target, LoadAverage());
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
        }
    }

    private static async Task<ServePhase> Drive(OpenAiServer server, int clients, ServeBenchmarkSettings settings, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var client = await OpenAiBackend.CreateAsync(new OpenAiBackendOptions
        {
            BaseUrl = server.BaseUrl + "/v1",
            Model = "tiny",
            MaxConcurrency = clients,
            MaxRetries = 0,
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
        var sampling = new SamplingSettings { Temperature = 1.0, MaxTokens = settings.MaxTokens };
        var longSampling = sampling with { MaxTokens = settings.LongMaxTokens ?? settings.MaxTokens };
        var latencies = new List<double>[clients];
        var shortLatencies = new List<double>[clients];
        var longLatencies = new List<double>[clients];
        var tokens = new long[clients];
        var before = server.EngineStats;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            (latencies[c], shortLatencies[c], longLatencies[c]) = ([], [], []);
            var i = 0;
            while (watch.Elapsed < duration)
            {
                // Mixed workload: clients start on different kinds, so short and long requests are in flight together.
                var isLong = settings.LongMaxTokens is not null && (i + c) % 2 == 1;
                var started = Stopwatch.GetTimestamp();
                var result = await client.CompleteAsync([$"Client {c} request {i++}: 12 + 30 ="], isLong ? longSampling : sampling, cancellationToken).ConfigureAwait(false);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                latencies[c].Add(ms);
                (isLong ? longLatencies : shortLatencies)[c].Add(ms);
                tokens[c] += result[0][0].CompletionTokens;
            }
        })).ConfigureAwait(false);
        var seconds = watch.Elapsed.TotalSeconds;
        var after = server.EngineStats;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var shorts = shortLatencies.SelectMany(l => l).Order().ToArray();
        var longs = longLatencies.SelectMany(l => l).Order().ToArray();
        var mixed = settings.LongMaxTokens is not null;
        var batches = after.Batches - before.Batches;
        return new ServePhase(
            clients,
            all.Length,
            tokens.Sum(),
            Math.Round(seconds, 3),
            Math.Round(all.Length / seconds, 2),
            Math.Round(tokens.Sum() / seconds, 1),
            Percentile(all, 0.50),
            Percentile(all, 0.90),
            Percentile(all, 0.99),
            batches == 0 ? 0 : Math.Round((double)(after.Rows - before.Rows) / batches, 2),
            Math.Round((after.Busy - before.Busy).TotalSeconds / seconds, 3),
            after.Busy > before.Busy ? Math.Round((after.JoinPrefill - before.JoinPrefill).TotalSeconds / (after.Busy - before.Busy).TotalSeconds, 3) : 0,
            mixed ? Percentile(shorts, 0.50) : null,
            mixed ? Percentile(shorts, 0.99) : null,
            mixed && longs.Length > 0 ? Percentile(longs, 0.50) : null);
    }

    /// <summary>Nearest-rank percentile of sorted values, in ms to 0.1.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return 0;
        var rank = (int)Math.Ceiling(q * sorted.Count) - 1;
        return Math.Round(sorted[Math.Clamp(rank, 0, sorted.Count - 1)], 1);
    }

    private static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
