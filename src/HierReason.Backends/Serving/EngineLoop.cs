using System.Collections.Concurrent;
using System.Diagnostics;
using HierReason.Engine;
using Microsoft.Extensions.Logging;

namespace HierReason.Backends.Serving;

/// <summary>
/// The one thread that touches TorchSharp: it loads the models, then takes waiting requests. With static batching it
/// groups those that share a model and a sampler (up to the batch size and the context) and decodes each group to its
/// end as one batch. With continuous batching (<see cref="ServeBatching.Continuous"/>) sampled-text requests join a
/// running <see cref="ContinuousBatch"/> at the next token and leave it as soon as they end; the other kinds
/// (<see cref="ContinuousBatch.Accepts"/>) still run as one-shot batches once the running batch has drained.
/// Admission is first come, first served: a request never overtakes an older one, so none starves.
/// </summary>
internal sealed class EngineLoop : IDisposable
{
    private readonly BlockingCollection<GenerationRequest> _queue = new();
    private readonly List<GenerationRequest> _waiting = [];
    private readonly ServeOptions _options;
    private readonly ILogger _log;
    private readonly Action<ServedModel, IReadOnlyList<GenerationRequest>> _run;
    private readonly Thread _thread;
    private readonly TaskCompletionSource<ServedModels> _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private ServedModels? _models;
    private long _batches;
    private long _rows;
    private long _busyTicks;
    private long _prefillTicks;
    private ContinuousBatch? _running;

    /// <summary>Decode steps a request may wait to join a running batch while more joiners gather (continuous batching).</summary>
    private const long MaxJoinWaitSteps = 2;

    /// <param name="run">Decodes one batch; <see cref="BatchRun.Run"/> except in tests that make batches fail.</param>
    public EngineLoop(ServeOptions options, ILogger log, Action<ServedModel, IReadOnlyList<GenerationRequest>> run)
    {
        _options = options;
        _log = log;
        _run = run;
        _thread = new Thread(Run) { IsBackground = true, Name = "hierreason-engine" };
        _thread.Start();
    }

    /// <summary>The loaded models, or the error that stopped loading.</summary>
    public Task<ServedModels> Loaded => _loaded.Task;

    /// <summary>Engine batches run, rows decoded (rows ÷ batches = mean batch size) and time spent decoding, so far.</summary>
    public EngineStats Stats => new(Interlocked.Read(ref _batches), Interlocked.Read(ref _rows), TimeSpan.FromTicks(Interlocked.Read(ref _busyTicks)),
        TimeSpan.FromTicks(Interlocked.Read(ref _prefillTicks)));

    public void Enqueue(GenerationRequest request)
    {
        if (!_queue.TryAdd(request)) throw new OpenAiError(503, "The server is shutting down.", type: "server_error");
    }

    private void Run()
    {
        try
        {
            if (_options.Threads is { } threads) TorchSharp.torch.set_num_threads(threads);
            _models = ServedModels.Load(_options);
            _loaded.SetResult(_models);
        }
        catch (Exception e)
        {
            _loaded.SetException(e);
            return;
        }

        var continuous = _options.Batching == ServeBatching.Continuous;
        while (!_stop.IsCancellationRequested)
        {
            if (_running is { Rows: > 0 })
            {
                while (_queue.TryTake(out var more))
                {
                    more.WaitingSinceStep = _batches;
                    _waiting.Add(more);
                }
                Prune();
                Admit();
                StepRunning();
                continue;
            }
            if (!Gather(continuous)) break;
            if (continuous)
            {
                Prune();
                if (_waiting.Count > 0 && ContinuousBatch.Accepts(_waiting[0], _options.MaxBatch))
                {
                    Admit();
                    if (_running is { Rows: > 0 }) StepRunning();
                    continue;
                }
            }
            var batch = Select();
            if (batch.Count == 0) continue;
            var model = _models.Find(batch[0].Model)!;
            var watch = Stopwatch.StartNew();
            RunIsolated(model, batch);
            var rows = batch.Sum(r => (long)r.Rows);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _rows, rows);
            Interlocked.Add(ref _busyTicks, watch.Elapsed.Ticks);
            _log.LogDebug("batch: model {Model}, {Requests} requests, {Rows} rows, {Ms} ms", model.Name, batch.Count, rows, watch.ElapsedMilliseconds);
        }
        _running?.FailAll(ShuttingDown);
        _running?.Dispose();
        foreach (var request in _waiting.Concat(_queue.GetConsumingEnumerable(CancellationToken.None))) ShuttingDown(request);
        // TorchSharp objects are freed on the thread that made them.
        _models.Dispose();
    }

    private static void ShuttingDown(GenerationRequest request)
    {
        var error = new OpenAiError(503, "The server is shutting down.", type: "server_error");
        request.Deltas?.Writer.TryComplete(error);
        request.Done.TrySetException(error);
    }

    /// <summary>
    /// The oldest waiting requests that may join the running batch (or start one), in order, while they fit its free
    /// rows and share its key: the first that does not stops admission, so later requests never overtake it.
    /// </summary>
    private void Admit()
    {
        var admit = new List<GenerationRequest>();
        var free = _options.MaxBatch - (_running?.Rows ?? 0);
        var key = _running is { Rows: > 0 } ? _running.Key : (_waiting.Count > 0 ? _waiting[0].BatchKey : default);
        foreach (var request in _waiting)
        {
            if (!ContinuousBatch.Accepts(request, _options.MaxBatch) || request.BatchKey != key || request.Rows > free) break;
            admit.Add(request);
            free -= request.Rows;
        }
        if (admit.Count == 0) return;
        // Each admission is one more forward call (the prefill) in that step: while a batch runs, joiners are gathered
        // until they are an eighth of its rows or the oldest has waited two steps, so prefills are shared (measured with
        // `perf serve`: admitting every step cost the 32-client rate about a tenth).
        var running = _running?.Rows ?? 0;
        if (running > 0 && admit.Sum(r => r.Rows) * 8 < running && _batches - admit[0].WaitingSinceStep < MaxJoinWaitSteps) return;
        _waiting.RemoveRange(0, admit.Count);
        var watch = Stopwatch.StartNew();
        if (_running is { Rows: 0 } && _running.Key != key)
        {
            _running.Dispose();
            _running = null;
        }
        _running ??= new ContinuousBatch(_models!.Find(admit[0].Model)!, admit[0]);
        try
        {
            _running.Join(admit);
        }
        catch (Exception e)
        {
            // A prompt the engine refuses fails only its own request.
            if (admit.Count == 1) Fail(admit[0], e, alone: true);
            else
                foreach (var request in admit)
                {
                    try { _running.Join([request]); }
                    catch (Exception alone) { Fail(request, alone, alone: true); }
                }
        }
        Interlocked.Add(ref _busyTicks, watch.Elapsed.Ticks);
        Interlocked.Add(ref _prefillTicks, watch.Elapsed.Ticks);
    }

    /// <summary>One token for every row of the running batch; counted as one batch of that many rows.</summary>
    private void StepRunning()
    {
        var running = _running!;
        var rows = running.Rows;
        var watch = Stopwatch.StartNew();
        try
        {
            running.Step();
        }
        catch (Exception e)
        {
            _log.LogError(e, "engine failed in a continuous batch of {Rows} rows", rows);
            running.FailAll(r => Fail(r, e, alone: false));
            running.Dispose();
            _running = null;
        }
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _rows, rows);
        Interlocked.Add(ref _busyTicks, watch.Elapsed.Ticks);
    }

    /// <summary>Waits for work, then (static batching) gives late arrivals a short window to join the batch; false when stopping.</summary>
    private bool Gather(bool continuous)
    {
        try
        {
            if (_waiting.Count == 0) _waiting.Add(_queue.Take(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        if (continuous)
        {
            // Later arrivals join the running batch at its next step: no window to wait.
            while (_queue.TryTake(out var now)) _waiting.Add(now);
            return true;
        }
        // Keep gathering while requests keep arriving (each one reopens the window), up to ten windows in all.
        var window = (long)(_options.BatchWindow.TotalSeconds * Stopwatch.Frequency);
        var cap = Stopwatch.GetTimestamp() + 10 * window;
        var deadline = Stopwatch.GetTimestamp() + window;
        while (_waiting.Sum(r => (long)r.Rows) < _options.MaxBatch)
        {
            var left = (Math.Min(deadline, cap) - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
            if (!_queue.TryTake(out var next, (int)Math.Max(left, 0))) break;
            _waiting.Add(next);
            deadline = Stopwatch.GetTimestamp() + window;
        }
        while (_queue.TryTake(out var more)) _waiting.Add(more);
        return true;
    }

    /// <summary>
    /// Runs a batch; when a batch of several requests fails, runs each of them again alone, so only the request that
    /// caused the failure gets an error. A streamed request that already sent text is failed instead: a rerun would
    /// send its text twice.
    /// </summary>
    private void RunIsolated(ServedModel model, List<GenerationRequest> batch)
    {
        try
        {
            _run(model, batch);
            return;
        }
        catch (Exception e) when (batch.Count > 1)
        {
            _log.LogWarning("engine batch of {Requests} requests failed ({Error}); running each alone", batch.Count, e.Message);
            foreach (var request in batch)
            {
                if (request.Done.Task.IsCompleted) continue;
                if (request.HasStreamed) Fail(request, e, alone: false);
                else RunAlone(model, request);
            }
        }
        catch (Exception e)
        {
            Fail(batch[0], e, alone: true);
        }
    }

    private void RunAlone(ServedModel model, GenerationRequest request)
    {
        if (request.Aborted.IsCancellationRequested)
        {
            request.Deltas?.Writer.TryComplete();
            request.Done.TrySetCanceled(request.Aborted);
            return;
        }
        try
        {
            _run(model, [request]);
        }
        catch (Exception e)
        {
            Fail(request, e, alone: true);
        }
    }

    /// <summary>An engine error (a bad input the parser let through) is the client's 400; anything else is a server bug, logged loudly.</summary>
    private void Fail(GenerationRequest request, Exception e, bool alone)
    {
        OpenAiError error;
        if (e is EngineException)
        {
            error = new OpenAiError(400, e.Message);
            _log.LogWarning("request {Id} refused by the engine: {Error}", request.Id, e.Message);
        }
        else if (alone)
        {
            error = new OpenAiError(500, "The engine failed while generating: " + e.Message, type: "server_error");
            _log.LogError(e, "engine failed on request {Id} run alone", request.Id);
        }
        else
        {
            error = new OpenAiError(500, "The engine failed in a batch this request shared after its stream had begun: " + e.Message, type: "server_error");
        }
        request.Deltas?.Writer.TryComplete(error);
        request.Done.TrySetException(error);
    }

    /// <summary>
    /// The oldest request and every later one that fits with it: same key, rows within max-batch, prompt + budget within
    /// the context (all in 64 bits). A request that does not fit the context even alone never joins a batch.
    /// </summary>
    private List<GenerationRequest> Select()
    {
        Prune();
        if (_waiting.Count == 0) return [];
        var head = _waiting[0];
        var key = head.BatchKey;
        var maxContext = _models!.Find(head.Model)!.Local.Info.MaxContext;
        var batch = new List<GenerationRequest> { head };
        long rows = head.Rows, longest = head.LongestPrompt, budget = head.MaxTokens;
        foreach (var request in _waiting.Skip(1))
        {
            if (request.BatchKey != key) continue;
            if (rows + request.Rows > _options.MaxBatch) continue;
            var l = Math.Max(longest, request.LongestPrompt);
            var b = Math.Max(budget, request.MaxTokens);
            if (l + b > maxContext) continue;
            batch.Add(request);
            rows += request.Rows;
            longest = l;
            budget = b;
        }
        foreach (var request in batch) _waiting.Remove(request);
        return batch;
    }

    /// <summary>Drops waiting requests whose client has gone, and refuses those that do not fit the context even alone.</summary>
    private void Prune()
    {
        _waiting.RemoveAll(r =>
        {
            if (r.Aborted.IsCancellationRequested)
            {
                r.Deltas?.Writer.TryComplete();
                r.Done.TrySetCanceled(r.Aborted);
                return true;
            }
            var context = _models!.Find(r.Model)!.Local.Info.MaxContext;
            if ((long)r.LongestPrompt + r.MaxTokens <= context && r.Rows > 0 && (r.MaxTokens > 0 || r.Echo)) return false;
            var error = OpenAiError.BadRequest($"The prompt ({r.LongestPrompt} tokens) and max_tokens ({r.MaxTokens}) exceed the model's context of {context}.",
                "max_tokens", "context_length_exceeded");
            r.Deltas?.Writer.TryComplete(error);
            r.Done.TrySetException(error);
            return true;
        });
    }

    public void Dispose()
    {
        _stop.Cancel();
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
        _stop.Dispose();
    }
}

/// <summary>
/// What the engine has done: batches, rows (sequences) decoded, time spent in batches, and the part of it spent
/// prefilling requests that joined a running batch (continuous batching; a static batch's prefill is not split out).
/// </summary>
public readonly record struct EngineStats(long Batches, long Rows, TimeSpan Busy, TimeSpan JoinPrefill = default);
