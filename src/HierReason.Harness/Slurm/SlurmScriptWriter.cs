using System.Text;
using HierReason.Core;
using HierReason.Core.IO;

namespace HierReason.Harness.Slurm;

/// <summary>
/// Writes the sbatch scripts of a SLURM run: <c>array.sbatch</c> (task i runs <c>hierreason eval --manifest M --index i</c>),
/// <c>collect.sbatch</c> (<c>hierreason collect</c>) and <c>submit.sh</c>, which submits both with the collect job
/// depending on the whole array (<c>afterany</c>). Rerunning <c>submit.sh</c> resumes: finished jobs are skipped by eval.
/// </summary>
public static class SlurmScriptWriter
{
    public const string ArrayFile = "array.sbatch";
    public const string CollectFile = "collect.sbatch";
    public const string SubmitFile = "submit.sh";
    public const string LogsFolder = "logs";

    public static SlurmScripts Write(SlurmBatch batch)
    {
        var outDir = Path.GetFullPath(batch.OutDir);
        var scripts = new SlurmScripts(
            Path.Combine(outDir, ArrayFile), Path.Combine(outDir, CollectFile), Path.Combine(outDir, SubmitFile), Path.Combine(outDir, LogsFolder));
        var texts = Render(batch with { OutDir = outDir });
        // SLURM opens the --output files but does not create their folder.
        Directory.CreateDirectory(scripts.LogsDir);
        var logFolder = Path.GetDirectoryName(Path.Combine(outDir, batch.Options.OutputPattern));
        if (logFolder is not null) Directory.CreateDirectory(logFolder);
        WriteExecutable(scripts.ArrayScript, texts.Array);
        WriteExecutable(scripts.CollectScript, texts.Collect);
        WriteExecutable(scripts.SubmitScript, texts.Submit);
        return scripts;
    }

    /// <summary>The three scripts' text (array, collect, submit) without touching the disk.</summary>
    public static (string Array, string Collect, string Submit) Render(SlurmBatch batch)
    {
        var o = batch.Options;
        o.Validate();
        if (batch.JobCount < 1) throw new HierReasonException($"{batch.Manifest}: expected at least one job in the manifest; found {batch.JobCount}");
        var outDir = Path.GetFullPath(batch.OutDir);
        var manifest = Path.GetFullPath(batch.Manifest);
        var runDir = Path.GetFullPath(batch.RunDir);
        var worker = ShellQuote.Join([batch.Worker.FileName, .. batch.Worker.PrefixArgs]);

        var array = new StringBuilder();
        array.Append("#!/bin/bash\n");
        array.Append("# Written by `hierreason slurm`. Array task i runs line i of the manifest; a job whose result\n");
        array.Append("# already exists is skipped, so submitting again (bash submit.sh) reruns only what is missing.\n");
        array.Append($"#SBATCH --job-name={o.JobName}\n");
        var limit = o.MaxConcurrent is { } k ? $"%{k}" : "";
        array.Append($"#SBATCH --array=0-{batch.JobCount - 1}{limit}\n");
        array.Append($"#SBATCH --chdir={ShellQuote.SbatchValue(outDir, "--output")}\n");
        array.Append($"#SBATCH --output={o.OutputPattern}\n");
        if (o.Gres is not null) array.Append($"#SBATCH --gres={o.Gres}\n");
        AppendCommon(array, o, withResources: true);
        array.Append("set -euo pipefail\n");
        array.Append("echo \"[hierreason] array job ${SLURM_ARRAY_JOB_ID:-?} task ${SLURM_ARRAY_TASK_ID:?not a SLURM array task} on $(hostname) CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES:-unset}\"\n");
        foreach (var line in o.Setup) array.Append(line).Append('\n');
        array.Append($"exec {worker} eval --manifest {ShellQuote.Word(manifest)} --index \"$SLURM_ARRAY_TASK_ID\"\n");

        var collect = new StringBuilder();
        collect.Append("#!/bin/bash\n");
        collect.Append("# Written by `hierreason slurm`. Aggregates the run's finished jobs once the array has ended.\n");
        collect.Append($"#SBATCH --job-name={o.JobName}-collect\n");
        collect.Append($"#SBATCH --chdir={ShellQuote.SbatchValue(outDir, "--output")}\n");
        collect.Append($"#SBATCH --output={LogsFolder}/%j_collect.out\n");
        AppendCommon(collect, o, withResources: false);
        collect.Append("set -euo pipefail\n");
        foreach (var line in o.Setup) collect.Append(line).Append('\n');
        collect.Append($"exec {worker} collect --run {ShellQuote.Word(runDir)}");
        if (batch.ResultsDir is not null) collect.Append($" --output {ShellQuote.Word(Path.GetFullPath(batch.ResultsDir))}");
        collect.Append('\n');

        var submit = new StringBuilder();
        submit.Append("#!/bin/bash\n");
        submit.Append("# Written by `hierreason slurm`. Submits the job array, then the collect job, which starts when every\n");
        submit.Append("# array task has ended (afterany). Run it again to resume: finished jobs are skipped.\n");
        submit.Append("set -euo pipefail\n");
        submit.Append($"array_id=$(sbatch --parsable {ShellQuote.Word(Path.Combine(outDir, ArrayFile))})\n");
        submit.Append("array_id=${array_id%%;*}\n");
        submit.Append($"collect_id=$(sbatch --parsable --dependency=afterany:\"$array_id\" {ShellQuote.Word(Path.Combine(outDir, CollectFile))})\n");
        submit.Append("collect_id=${collect_id%%;*}\n");
        submit.Append("echo \"array_job_id=$array_id\"\n");
        submit.Append("echo \"collect_job_id=$collect_id\"\n");

        return (array.ToString(), collect.ToString(), submit.ToString());
    }

    private static void AppendCommon(StringBuilder script, SlurmArrayOptions o, bool withResources)
    {
        if (o.Partition is not null) script.Append($"#SBATCH --partition={o.Partition}\n");
        if (o.TimeLimit is not null) script.Append($"#SBATCH --time={o.TimeLimit}\n");
        if (!withResources) return;
        if (o.CpusPerTask is { } cpus) script.Append($"#SBATCH --cpus-per-task={cpus}\n");
        if (o.Memory is not null) script.Append($"#SBATCH --mem={o.Memory}\n");
    }

    private static void WriteExecutable(string path, string text)
    {
        AtomicFile.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }
}
