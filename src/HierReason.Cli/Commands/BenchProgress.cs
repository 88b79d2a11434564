using System.Globalization;
using HierReason.Cli.Hosting;
using HierReason.Harness.Pipeline;
using HierReason.Harness.Running;
using HierReason.Harness.Scheduling;
using Spectre.Console;

namespace HierReason.Cli.Commands;

/// <summary>
/// Follows a benchmark through the pipeline's events: a Spectre.Console live table (queued / running / done / failed per
/// device, elapsed, estimated remaining time) on a terminal, one plain line per event otherwise. Disposing it ends the
/// live table, so what is printed next stands below it.
/// </summary>
/// <param name="plain">Where plain lines go (stderr when stdout carries JSON).</param>
public sealed class BenchProgress(CliConsole console, TextWriter plain) : IBenchmarkObserver, IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (string Device, JobState State)> _jobs = [];
    private readonly Dictionary<string, string> _current = [];
    private readonly List<double> _durations = [];
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private IReadOnlyList<DeviceQueue> _queues = [];
    private int _slotsPerDevice = 1;
    private Task? _live;

    private enum JobState { Queued, Running, Done, Failed }

    private bool Interactive => console.Ansi.Profile.Capabilities.Interactive;

    public void Prepared(BenchmarkPlan plan, int adopted)
    {
        lock (_gate)
        {
            _queues = plan.Queues;
            _slotsPerDevice = plan.Request.SlotsPerDevice;
            foreach (var job in plan.Queues.SelectMany(q => q.Jobs)) _jobs[job.Key] = (job.Device, JobState.Queued);
        }
        if (adopted > 0) plain.WriteLine($"bench: {adopted} job(s) already finished in other runs; reusing their results");
        plain.WriteLine($"bench: {plan.Jobs.Count} job(s) ({plan.Tasks.Count} task(s) × {plan.Models.Count} model(s) × seeds) on {string.Join(", ", plan.Devices.Select(d => d.Name))}, {HierReason.Harness.Scheduling.JobScheduler.Name(plan.Schedule)} schedule; run folder {plan.Run.Folder}");
        _clock.Restart();
        if (!Interactive) return;
        _live = console.Ansi.Live(Render()).AutoClear(false).StartAsync(async ctx =>
        {
            while (!_stop.IsCancellationRequested)
            {
                ctx.UpdateTarget(Render());
                try { await Task.Delay(500, _stop.Token); }
                catch (OperationCanceledException) { }
            }
            ctx.UpdateTarget(Render());
        });
    }

    public void JobChanged(JobEvent e)
    {
        Record(e);
        if (!Interactive) lock (plain) plain.WriteLine(Line(e));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_live is not null) await _live;
        _stop.Dispose();
    }

    private void Record(JobEvent e)
    {
        lock (_gate)
        {
            var state = e.Kind switch
            {
                JobEventKind.Started => JobState.Running,
                JobEventKind.Retrying => JobState.Running,
                JobEventKind.Succeeded or JobEventKind.Skipped => JobState.Done,
                _ => JobState.Failed,
            };
            _jobs[e.Job.Key] = (e.Device, state);
            if (e.Kind == JobEventKind.Started) _current[e.Device] = $"{e.Job.Task} × {e.Job.Model.Name}";
            if (e.Kind == JobEventKind.Succeeded && e.Result is { } r) _durations.Add(r.WallSeconds);
        }
    }

    /// <summary>A worker's output line: "&lt;key&gt;: batch i/N" becomes the job's progress in the live view.</summary>
    public void WorkerOutput(WorkUnit unit, string line)
    {
        var colon = line.IndexOf(": batch ", StringComparison.Ordinal);
        if (colon <= 0) return;
        var key = line[..colon];
        var job = unit.Jobs.FirstOrDefault(j => j.Key == key);
        if (job is null) return;
        var batch = line[(colon + 2)..];
        var space = batch.IndexOf(' ', "batch ".Length);
        lock (_gate) _current[unit.Device.Name] = $"{job.Task} × {job.Model.Name} seed {job.Seed}: {(space < 0 ? batch : batch[..space])}";
    }

    private int Count(string device, JobState state) => _jobs.Values.Count(j => j.Device == device && j.State == state);

    private string Line(JobEvent e)
    {
        var label = $"{e.Job.Task} × {e.Job.Model.Name} seed {e.Job.Seed}";
        return e.Kind switch
        {
            JobEventKind.Started => $"[{Elapsed()}] {e.Device}: started {label}",
            JobEventKind.Skipped => $"[{Elapsed()}] {e.Device}: skipped {label} (already finished)",
            JobEventKind.Succeeded => string.Create(CultureInfo.InvariantCulture,
                $"[{Elapsed()}] {e.Device}: done {label}: accuracy {e.Result!.Accuracy * 100:0.0}% [{e.Result.Interval().Low * 100:0.0}, {e.Result.Interval().High * 100:0.0}] ({e.Result.WallSeconds:0.#} s){Eta()}"),
            JobEventKind.Retrying => $"[{Elapsed()}] {e.Device}: retrying {label}: {e.Message}",
            JobEventKind.Failed => $"[{Elapsed()}] {e.Device}: FAILED {label}: {e.Message}",
            _ => e.Kind.ToString(),
        };
    }

    private string Eta()
    {
        lock (_gate)
        {
            var remaining = _jobs.Values.Count(j => j.State is JobState.Queued or JobState.Running);
            if (_durations.Count == 0 || remaining == 0) return "";
            var seconds = _durations.Average() * remaining / Math.Max(1, _queues.Count * _slotsPerDevice);
            return $", about {Format(TimeSpan.FromSeconds(seconds))} left";
        }
    }

    private string Elapsed() => Format(_clock.Elapsed);

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"mm\:ss", CultureInfo.InvariantCulture);

    private Table Render()
    {
        lock (_gate)
        {
            var table = new Table().Title($"bench · {Elapsed()} elapsed{Eta()}")
                .AddColumn("Device").AddColumn("Queued").AddColumn("Running").AddColumn("Done").AddColumn("Failed").AddColumn("Current");
            foreach (var queue in _queues)
            {
                var name = queue.Device.Name;
                var running = Count(name, JobState.Running);
                var failed = Count(name, JobState.Failed);
                table.AddRow(name, Count(name, JobState.Queued).ToString(CultureInfo.InvariantCulture), running.ToString(CultureInfo.InvariantCulture),
                    Count(name, JobState.Done).ToString(CultureInfo.InvariantCulture), failed > 0 ? $"[red]{failed}[/]" : "0",
                    Markup.Escape(running > 0 ? _current.GetValueOrDefault(name, "") : ""));
            }
            return table;
        }
    }
}
