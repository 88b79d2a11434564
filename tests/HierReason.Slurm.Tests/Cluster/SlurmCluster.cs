using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace HierReason.Slurm.Tests.Cluster;

/// <summary>
/// A private single-node SLURM cluster on this machine for the SLURM tests: munged, slurmctld and slurmd run in the
/// foreground as children of the test process, with every file (config, state, spool, logs, fake GPU devices) in a
/// temp folder and free non-default ports, so it cannot clash with another cluster. Clients reach it through
/// <see cref="Environment"/> (SLURM_CONF). Disposing cancels the jobs and stops exactly the processes it started.
/// </summary>
public sealed class SlurmCluster : IAsyncLifetime
{
    public const int GpuCount = 4;
    public const int Cpus = 4;

    private static readonly string[] Daemons = ["slurmctld", "slurmd", "munged"];
    private static readonly string[] Clients = ["sbatch", "squeue", "sinfo", "scancel"];
    private static readonly string[] Tools = ["setpriv", "mknod", "chown"];

    private readonly List<(string Name, Process Process, StringBuilder Output)> _started = [];

    public string WorkDir { get; private set; } = "";
    public string ConfPath => Path.Combine(WorkDir, "slurm.conf");
    public string JobCompPath => Path.Combine(WorkDir, "jobcomp.txt");
    public string Host { get; private set; } = "";

    /// <summary>What a client process needs to talk to this cluster (and what sbatch passes on to the jobs).</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["SLURM_CONF"] = ConfPath };

    /// <summary>Why these tests cannot run here, or null. Missing binaries are installed by the fixture when it runs as root.</summary>
    public static string? UnavailableReason()
    {
        if (!OperatingSystem.IsLinux()) return "the SLURM tests need Linux (slurm-wlm and munge daemons)";
        if (MissingBinaries().Count > 0 && !System.Environment.IsPrivilegedProcess)
            return $"SLURM binaries missing ({string.Join(", ", MissingBinaries())}) and not root, so they cannot be installed: run build/setup-slurm.sh as root";
        if (!System.Environment.IsPrivilegedProcess)
            return "the SLURM test cluster needs root (SlurmUser=root, munged started as the munge user, mknod for the fake GPUs)";
        return null;
    }

    public async Task InitializeAsync()
    {
        // xunit builds the fixture even when every test is skipped; those tests report the reason.
        if (UnavailableReason() is not null) return;
        if (MissingBinaries().Count > 0) await InstallAsync();
        try
        {
            await StartAsync();
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    public Task DisposeAsync() => StopAsync();

    /// <summary>Runs a SLURM client (or any command) against this cluster.</summary>
    public Task<ProcessResult> RunAsync(string file, params string[] args) => ProcessRun.RunAsync(file, args, Environment, TimeSpan.FromSeconds(60));

    /// <summary>Waits until none of the jobs is pending or running any more.</summary>
    public async Task WaitForJobsAsync(TimeSpan timeout, params string[] jobIds)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var queue = await RunAsync("squeue", "-h", "-o", "%i %T", "-j", string.Join(',', jobIds));
            // squeue lists only pending/running/completing jobs; an id it no longer knows is long done.
            if (queue.ExitCode == 0 && queue.Stdout.Trim().Length == 0) return;
            if (queue.ExitCode != 0 && queue.Stderr.Contains("Invalid job id", StringComparison.Ordinal)) return;
            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"jobs {string.Join(',', jobIds)} still queued after {timeout}:\n{queue.Stdout}{queue.Stderr}\n{Diagnostics()}");
            await Task.Delay(200);
        }
    }

    /// <summary>The job completion records (one per job or array task) that slurmctld wrote with jobcomp/filetxt.</summary>
    public IReadOnlyList<JobCompletion> Completions() =>
        File.Exists(JobCompPath) ? File.ReadAllLines(JobCompPath).Where(l => l.Length > 0).Select(JobCompletion.Parse).ToList() : [];

    /// <summary>Waits until slurmctld has written at least <paramref name="count"/> completion records matching the filter.</summary>
    public async Task<IReadOnlyList<JobCompletion>> WaitForCompletionsAsync(Func<JobCompletion, bool> filter, int count, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var found = Completions().Where(filter).ToList();
            if (found.Count >= count) return found;
            if (watch.Elapsed > timeout)
                throw new TimeoutException($"expected {count} job completion records, found {found.Count}:\n{string.Join('\n', Completions().Select(c => c.Line))}\n{Diagnostics()}");
            await Task.Delay(100);
        }
    }

    /// <summary>The tail of the daemons' logs, for failure messages.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        foreach (var log in new[] { "log/slurmctld.log", "log/slurmd.log", "munge/munged.log" })
        {
            var path = Path.Combine(WorkDir, log);
            if (!File.Exists(path)) continue;
            var lines = File.ReadAllLines(path);
            text.Append("--- ").Append(log).Append('\n').AppendJoin('\n', lines.Skip(Math.Max(0, lines.Length - 15))).Append('\n');
        }
        foreach (var (name, process, output) in _started)
        {
            string exited;
            try { exited = process.HasExited ? $"exited {process.ExitCode}" : "running"; }
            catch (InvalidOperationException) { exited = "unknown"; }
            lock (output) text.Append("--- ").Append(name).Append(' ').Append(exited).Append('\n').Append(output).Append('\n');
        }
        return text.ToString();
    }

    private async Task StartAsync()
    {
        Host = (await ProcessRun.CheckedAsync("hostname", ["-s"])).Trim();
        WorkDir = Directory.CreateTempSubdirectory("hierreason-slurm-").FullName;
        // munged runs as the munge user and must reach its socket folder through this one.
        File.SetUnixFileMode(WorkDir, (UnixFileMode)Convert.ToInt32("755", 8));
        foreach (var dir in new[] { "state", "spool", "log", "dev", "munge" }) Directory.CreateDirectory(Path.Combine(WorkDir, dir));

        // Character devices, because slurmd rejects plain files as GPU device files; 195 is the NVIDIA major number.
        for (var i = 0; i < GpuCount; i++)
            await ProcessRun.CheckedAsync("mknod", [Path.Combine(WorkDir, "dev", $"gpu{i}"), "c", "195", i.ToString(CultureInfo.InvariantCulture)]);

        var munge = Path.Combine(WorkDir, "munge");
        var key = Path.Combine(munge, "munge.key");
        await File.WriteAllBytesAsync(key, RandomNumberGenerator.GetBytes(1024));
        File.SetUnixFileMode(key, UnixFileMode.UserRead);
        await ProcessRun.CheckedAsync("chown", ["-R", "munge:munge", munge]);
        File.SetUnixFileMode(munge, (UnixFileMode)Convert.ToInt32("711", 8));

        var (ctldPort, slurmdPort) = (FreePort(), FreePort());
        while (slurmdPort == ctldPort) slurmdPort = FreePort();
        await File.WriteAllTextAsync(ConfPath, SlurmConf(ctldPort, slurmdPort));
        await File.WriteAllTextAsync(Path.Combine(WorkDir, "gres.conf"),
            $"AutoDetect=off\nNodeName={Host} Name=gpu File={WorkDir}/dev/gpu[0-{GpuCount - 1}]\n");

        var socket = Path.Combine(munge, "munge.sock");
        Start("munged", "setpriv", "--reuid=munge", "--regid=munge", "--init-groups", "--", Find("munged")!, "--foreground",
            $"--socket={socket}", $"--pid-file={munge}/munged.pid", $"--log-file={munge}/munged.log",
            $"--seed-file={munge}/munged.seed", $"--key-file={key}");
        await WaitUntilAsync(() => File.Exists(socket), TimeSpan.FromSeconds(20), "munged to create its socket");
        Start("slurmctld", Find("slurmctld")!, "-D");
        Start("slurmd", Find("slurmd")!, "-D");

        var watch = Stopwatch.StartNew();
        while (true)
        {
            var state = await RunAsync("sinfo", "-h", "-o", "%T");
            if (state.ExitCode == 0 && state.Stdout.Trim() == "idle") return;
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException($"the node did not become idle within 30 s (sinfo: {state.Stdout.Trim()} {state.Stderr.Trim()})\n{Diagnostics()}");
            await Task.Delay(200);
        }
    }

    private string SlurmConf(int ctldPort, int slurmdPort)
    {
        var w = WorkDir;
        return $"""
            ClusterName=hierreasontest
            SlurmctldHost={Host}
            SlurmctldPort={ctldPort}
            SlurmdPort={slurmdPort}
            SlurmUser=root
            AuthType=auth/munge
            CredType=cred/munge
            AuthInfo=socket={w}/munge/munge.sock
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            JobCompType=jobcomp/filetxt
            JobCompLoc={JobCompPath}
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,bf_interval=1
            SlurmdParameters=config_overrides
            ReturnToService=2
            MpiDefault=none
            MailProg=/bin/true
            StateSaveLocation={w}/state
            SlurmdSpoolDir={w}/spool
            SlurmctldPidFile={w}/slurmctld.pid
            SlurmdPidFile={w}/slurmd.pid
            SlurmctldLogFile={w}/log/slurmctld.log
            SlurmdLogFile={w}/log/slurmd.log
            GresTypes=gpu
            NodeName={Host} CPUs={Cpus} RealMemory=8192 Gres=gpu:{GpuCount} State=UNKNOWN
            PartitionName=debug Nodes={Host} Default=YES MaxTime=INFINITE State=UP

            """;
    }

    private void Start(string name, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["SLURM_CONF"] = ConfPath;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        var output = new StringBuilder();
        void Append(object _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output) if (output.Length < 16_000) output.Append(e.Data).Append('\n');
        }
        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _started.Add((name, process, output));
    }

    private async Task StopAsync()
    {
        if (_started.Any(s => s.Name == "slurmctld" && !s.Process.HasExited))
        {
            await RunAsync("scancel", "--user", System.Environment.UserName);
            try { await WaitForAllJobsGoneAsync(TimeSpan.FromSeconds(15)); }
            catch (TimeoutException) { /* the daemons are stopped below either way */ }
        }
        // TERM all at once (stopping them one after another takes seconds each), KILL what is left.
        foreach (var (_, process, _) in _started)
            if (!process.HasExited) _ = Kill(process.Id, SigTerm);
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            foreach (var (_, process, _) in _started)
            {
                try { await process.WaitForExitAsync(cts.Token); }
                catch (OperationCanceledException) { process.Kill(); }
            }
        }
        foreach (var (_, process, _) in _started)
        {
            await process.WaitForExitAsync();
            process.Dispose();
        }
        _started.Clear();
        if (WorkDir.Length > 0 && Directory.Exists(WorkDir)) Directory.Delete(WorkDir, recursive: true);
    }

    private async Task WaitForAllJobsGoneAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var queue = await RunAsync("squeue", "-h", "-o", "%i");
            if (queue.ExitCode != 0 || queue.Stdout.Trim().Length == 0) return;
            if (watch.Elapsed > timeout) throw new TimeoutException("jobs still queued: " + queue.Stdout);
            await Task.Delay(200);
        }
    }

    private async Task InstallAsync()
    {
        var script = Path.Combine(RepositoryRoot(), "build", "setup-slurm.sh");
        var result = await ProcessRun.RunAsync("bash", [script], timeout: TimeSpan.FromMinutes(10));
        if (result.ExitCode != 0 || MissingBinaries().Count > 0)
            throw new InvalidOperationException(result.Describe(script) + $"\nstill missing: {string.Join(", ", MissingBinaries())}");
    }

    /// <summary>The checkout these tests were built from (the folder holding HierReason.sln).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HierReason.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (HierReason.sln) above " + AppContext.BaseDirectory);
    }

    private static List<string> MissingBinaries() => Daemons.Concat(Clients).Concat(Tools).Where(b => Find(b) is null).ToList();

    private static string? Find(string name)
    {
        var path = System.Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
