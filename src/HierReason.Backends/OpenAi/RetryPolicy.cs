using System.ClientModel;
using System.Net.Http;
using HierReason.Core.Secrets;
using Microsoft.Extensions.Logging;

namespace HierReason.Backends.OpenAi;

/// <summary>
/// Retries transient failures — 408, 429, 5xx, refused connections, attempts that outlive their timeout — with exponential
/// backoff and full jitter, honouring a Retry-After header. The OpenAI client's own retries are switched off so these are the only ones.
/// </summary>
public sealed class RetryPolicy(int maxRetries, TimeSpan initialBackoff, TimeSpan maxBackoff, TimeSpan attemptTimeout, ILogger? log = null, SecretRedactor? redactor = null)
{
    private readonly Random _random = new();

    /// <summary>Retries made so far (all calls).</summary>
    public long Retries => Interlocked.Read(ref _retries);
    private long _retries;

    /// <summary>Whether a failure is worth another attempt.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        ClientResultException c => c.Status is 0 or 408 or 409 or 429 or >= 500,
        HttpRequestException => true,
        TimeoutException => true,
        _ => false,
    };

    /// <summary>The wait before retry <paramref name="attempt"/> (1-based): Retry-After when the server gave one (capped), else uniform in [0, min(max, initial·2^(attempt-1))].</summary>
    public TimeSpan Delay(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } after) return after < maxBackoff ? after : maxBackoff;
        var ceiling = Math.Min(maxBackoff.TotalMilliseconds, initialBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1));
        double fraction;
        lock (_random) fraction = _random.NextDouble();
        return TimeSpan.FromMilliseconds(ceiling * fraction);
    }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails for good, or the retries run out (the last error is thrown).</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> attempt, string what, CancellationToken cancellationToken)
    {
        for (var tries = 0; ; tries++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(attemptTimeout);
            Exception failure;
            try
            {
                return await attempt(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new TimeoutException($"{what}: no answer within {attemptTimeout.TotalSeconds:0.#} s");
            }
            catch (Exception e) when (IsTransient(e))
            {
                failure = e;
            }
            if (tries >= maxRetries) throw failure is TimeoutException ? failure : new RetriesExhaustedException(what, tries + 1, failure);
            var delay = Delay(tries + 1, RetryAfter(failure));
            Interlocked.Increment(ref _retries);
            var error = Describe(failure);
            log?.LogWarning("{What}: {Error}; retry {Retry} of {Max} in {Delay} ms", what, redactor?.Redact(error) ?? error, tries + 1, maxRetries, (int)delay.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A short description of a failure (status code, never headers).</summary>
    public static string Describe(Exception e) => e switch
    {
        ClientResultException { Status: 0 } c => "connection failed: " + (c.InnerException?.Message ?? c.Message),
        ClientResultException c => $"HTTP {c.Status}",
        _ => e.Message,
    };

    private static TimeSpan? RetryAfter(Exception e)
    {
        if (e is not ClientResultException c || c.GetRawResponse() is not { } response) return null;
        if (!response.Headers.TryGetValue("Retry-After", out var value) || value is null) return null;
        if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            return TimeSpan.FromSeconds(seconds);
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
        {
            var wait = at - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}

/// <summary>A request that kept failing transiently until the retries ran out.</summary>
public sealed class RetriesExhaustedException(string what, int attempts, Exception last)
    : Exception($"{what}: failed after {attempts} attempts; last error: {RetryPolicy.Describe(last)}", last);
