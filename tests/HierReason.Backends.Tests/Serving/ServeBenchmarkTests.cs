using HierReason.Backends.Serving;

namespace HierReason.Backends.Tests.Serving;

/// <summary><c>perf serve</c>'s driver against the real in-process server: the plain workload and the mixed one.</summary>
public sealed class ServeBenchmarkTests
{
    [Fact]
    public async Task A_mixed_workload_reports_short_requests_apart_and_with_continuous_batching_they_finish_first()
    {
        var settings = new ServeBenchmarkSettings([2], Seconds: 2, MaxTokens: 2, WarmUpSeconds: 0.3, Threads: 1,
            Batching: ServeBatching.Continuous, LongMaxTokens: 48);
        var result = await ServeBenchmark.RunAsync(settings);

        var phase = Assert.Single(result.Phases);
        Assert.True(phase.Requests >= 2, $"{phase.Requests} requests in 2 s");
        Assert.NotNull(phase.ShortLatencyP50Ms);
        Assert.NotNull(phase.ShortLatencyP99Ms);
        Assert.NotNull(phase.LongLatencyP50Ms);
        // A 2-token request leaves the running batch at once instead of waiting for a 48-token neighbour.
        Assert.True(phase.ShortLatencyP50Ms < phase.LongLatencyP50Ms, $"short p50 {phase.ShortLatencyP50Ms} ms, long p50 {phase.LongLatencyP50Ms} ms");
        Assert.True(phase.ShortLatencyP50Ms <= phase.ShortLatencyP99Ms);
        // Every request joined the running batch through a prefill: part, not all, of the engine's busy time.
        Assert.InRange(phase.JoinPrefillFraction, 0.001, 0.999);
    }

    [Fact]
    public async Task Static_batching_reports_no_joiners_prefill()
    {
        var result = await ServeBenchmark.RunAsync(new ServeBenchmarkSettings([1], Seconds: 0.5, MaxTokens: 2, WarmUpSeconds: 0.1, Threads: 1,
            Batching: ServeBatching.Static));
        var phase = Assert.Single(result.Phases);
        Assert.True(phase.Requests > 0 && phase.EngineBusyFraction > 0);
        Assert.Equal(0, phase.JoinPrefillFraction);
    }

    [Fact]
    public async Task The_plain_workload_has_no_split_latencies()
    {
        var result = await ServeBenchmark.RunAsync(new ServeBenchmarkSettings([1], Seconds: 0.5, MaxTokens: 2, WarmUpSeconds: 0.1, Threads: 1));
        var phase = Assert.Single(result.Phases);
        Assert.True(phase.Requests > 0);
        Assert.True(phase.CompletionTokens > 0);
        Assert.Null(phase.ShortLatencyP50Ms);
        Assert.Null(phase.LongLatencyP50Ms);
    }
}
