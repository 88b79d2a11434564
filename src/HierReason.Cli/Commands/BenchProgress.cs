using System.Globalization;
using HierReason.Cli.Hosting;
using HierReason.Core.Results;
using HierReason.Harness.Running;
using HierReason.Harness.Scheduling;
using Spectre.Console;

namespace HierReason.Cli.Commands;

/// <summary>
/// Follows a benchmark's job events: a Spectre.Console live table (queued / running / done / failed per device, elapsed,
/// estimated remaining time) on a terminal, one plain line per event otherwise.
/// </summary>
public sealed class BenchProgress(IReadOnlyList<DeviceQueue> queues, int slotsPerDevice)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (string Device, JobState State)> _jobs =
        queues.SelectMany(q => q.Jobs).ToDictionary(j => j.Key, j => (j.Device, JobState.Queued));
    private readonly Dictionary<string, string> _current = [];
    private readonly List<double> _durations = [];
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    private enum JobState { Queued, Running, Done, Failed }

    /// <param name="plain">Where plain lines go when the output is not a terminal (stderr when stdout carries JSON).</param>
    public async Task<IReadOnlyList<JobResult>> RunAsync(CliConsole console, TextWriter plain, Func<Action<JobEvent>, Task<IReadOnlyList<JobResult>>> run)
    {
        if (!console.Ansi.Profile.Capabilities.Interactive)
            return await run(e => { Record(e); lock (plain) plain.WriteLine(Line(e)); });

        IReadOnlyList<JobResult> results = [];
        await console.Ansi.Live(Render()).AutoClear(false).StartAsync(async ctx =>
        {
            var task = run(Record);
            while (!task.IsCompleted)
            {
                ctx.UpdateTarget(Render());
                await Task.WhenAny(task, Task.Delay(500));
            }
            ctx.UpdateTarget(Render());
            results = await task;
        });
        return results;
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
                $"[{Elapsed()}] {e.Device}: done {label}: accuracy {e.Result!.Accuracy * 100:0.0}% ± {e.Result.StdErr * 100:0.0} ({e.Result.WallSeconds:0.#} s){Eta()}"),
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
            var seconds = _durations.Average() * remaining / Math.Max(1, queues.Count * slotsPerDevice);
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
            foreach (var queue in queues)
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
