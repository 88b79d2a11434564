using System.Text.Json.Nodes;

namespace HierReason.Cli.Tests.Vocabulary;

/// <summary>
/// Issue 24's vocabulary: the new spellings work, the old ones still work for one release with a one-line deprecation
/// warning naming the new spelling, and no old spelling shows in any <c>--help</c>.
/// </summary>
public sealed class OldSpellingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-vocab-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Root => Checkout.Root;

    private static string[] WarningLines(CliRun run) =>
        run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("warning: ", StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task No_help_shows_an_old_spelling_and_every_help_exits_0()
    {
        var leaves = await HelpText.LeafCommands();
        Assert.True(leaves.Count > 30, $"only {leaves.Count} commands found");
        string[] old = ["--out", "--only-tasks", "--only-models", "--max-tokens", "--max-seq-len", "--config-dir"];
        foreach (var path in leaves)
        {
            var options = HelpText.Options(await HelpText.Of(path));
            Assert.Empty(options.Intersect(old).Select(o => $"{string.Join(' ', path)} --help shows {o}"));
        }
        Assert.Contains("-o", HelpText.Options(await HelpText.Of("bench")));
        Assert.Contains("--output", HelpText.Options(await HelpText.Of("slurm")));
    }

    [Fact]
    public async Task Out_still_writes_where_it_did_with_a_warning_naming_output_and_o_is_output()
    {
        var viaOld = Path.Combine(_dir, "old.jsonl");
        var old = await CliRun.Of("tasks", "corpus", "multi_hop_lookup", "--out", viaOld);
        Assert.True(old.ExitCode == 0, old.Err);
        Assert.Equal(["warning: --out is deprecated; use --output (the old spelling will be removed in the next release)"], WarningLines(old));
        var viaShort = Path.Combine(_dir, "short.jsonl");
        var shortRun = await CliRun.Of("tasks", "corpus", "multi_hop_lookup", "-o", viaShort);
        Assert.True(shortRun.ExitCode == 0, shortRun.Err);
        Assert.Equal("", shortRun.Err);
        Assert.Equal(File.ReadAllText(viaOld), File.ReadAllText(viaShort));
        Assert.True(new FileInfo(viaOld).Length > 100);
    }

    [Fact]
    public async Task Max_tokens_and_config_dir_are_the_new_options_under_their_old_names()
    {
        // The old spelling's value reaches the new option: its range check names the new spelling.
        var serve = await CliRun.Of("perf", "serve", "--max-tokens", "0", "--output", Path.Combine(_dir, "serve.json"));
        Assert.Equal(2, serve.ExitCode);
        Assert.Equal("warning: --max-tokens is deprecated; use --max-new-tokens (the old spelling will be removed in the next release)", WarningLines(serve).Single());
        Assert.Contains("error: --max-new-tokens: expected an integer in [1, 512]; found 0", serve.Err);

        var missing = Path.Combine(_dir, "no-such-folder");
        var sample = await CliRun.Of("tasks", "sample", "chain_sum", "--n", "1", "--config-dir", missing);
        Assert.Equal(2, sample.ExitCode);
        Assert.Contains("warning: --config-dir is deprecated; use --task-configs", sample.Err);
        Assert.Contains($"error: --task-configs: {missing}: no such folder", sample.Err);
    }

    private async Task<(CliRun Run, List<(string Task, string Model)> Jobs)> DryRun(params string[] args)
    {
        var run = await CliRun.Of(["bench", .. args, "--task-configs", Path.Combine(Root, "tasks"), "--runs", Path.Combine(_dir, "runs"),
            "--cpu-slots", "1", "--dry-run", "--json"]);
        if (run.ExitCode != 0) return (run, []);
        var jobs = JsonNode.Parse(run.Out)!.AsArray().Select(j => ((string)j!["task"]!, (string)j["model"]!)).Distinct().ToList();
        return (run, jobs);
    }

    [Fact]
    public async Task Bench_tasks_and_models_are_filters_and_files_are_tasks_file_and_models_file()
    {
        var tasks = Path.Combine(Root, "tasks.json");
        var models = Path.Combine(Root, "models.json");
        var (all, allJobs) = await DryRun("--tasks-file", tasks, "--models-file", models);
        Assert.True(all.ExitCode == 0, all.Err);
        Assert.Equal("", all.Err);
        Assert.Contains(("basic_arithmetic", "tiny-sft"), allJobs);

        var (filtered, jobs) = await DryRun("--tasks-file", tasks, "--models-file", models, "--tasks", "chain_sum", "--models", "tiny-sft");
        Assert.True(filtered.ExitCode == 0, filtered.Err);
        Assert.Equal("", filtered.Err);
        Assert.Equal([("chain_sum", "tiny-sft")], jobs);

        // Yesterday's command line: --tasks/--models name the files, --only-* filter. Same jobs, one warning per old spelling.
        var (old, oldJobs) = await DryRun("--tasks", tasks, "--models", models, "--only-tasks", "chain_sum", "--only-models", "tiny-sft");
        Assert.True(old.ExitCode == 0, old.Err);
        Assert.Equal(jobs, oldJobs);
        Assert.Equal(
        [
            "warning: --tasks <file> is deprecated; use --tasks-file <file> (--tasks now takes comma-separated names) (the old spelling will be removed in the next release)",
            "warning: --only-tasks is deprecated; use --tasks (the old spelling will be removed in the next release)",
            "warning: --models <file> is deprecated; use --models-file <file> (--models now takes comma-separated names) (the old spelling will be removed in the next release)",
            "warning: --only-models is deprecated; use --models (the old spelling will be removed in the next release)",
        ], WarningLines(old));

        // A name ending in .json that does not exist is still taken as the file: the error names it as one.
        var (gone, _) = await DryRun("--tasks", Path.Combine(_dir, "gone.json"), "--models-file", models);
        Assert.Equal(2, gone.ExitCode);
        Assert.Contains("gone.json", gone.Err);
        Assert.Contains("warning: --tasks <file> is deprecated", gone.Err);
    }

    [Fact]
    public async Task Bench_refuses_a_file_or_a_filter_given_twice_under_two_spellings()
    {
        var tasks = Path.Combine(Root, "tasks.json");
        var (twoFiles, _) = await DryRun("--tasks", tasks, "--tasks-file", tasks);
        Assert.Equal(2, twoFiles.ExitCode);
        Assert.Contains($"error: --tasks {tasks}: a file given as --tasks (its old meaning) and --tasks-file too; give the file once, as --tasks-file", twoFiles.Err);

        var (twoFilters, _) = await DryRun("--tasks-file", tasks, "--tasks", "chain_sum", "--only-tasks", "basic_arithmetic");
        Assert.Equal(2, twoFilters.ExitCode);
        Assert.Contains("error: --only-tasks and --tasks: the same filter twice", twoFilters.Err);

        var (unknown, _) = await DryRun("--tasks-file", tasks, "--models-file", Path.Combine(Root, "models.json"), "--tasks", "nope");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--tasks: 'nope' is not in", unknown.Err);
        Assert.Contains("chain_sum, basic_arithmetic", unknown.Err);
    }

    [Fact]
    public async Task Train_has_no_task_filter_and_ignores_only_tasks_with_a_warning()
    {
        // The task mix is part of the experiment (and of the model folder it writes), so train refuses --tasks outright ...
        var tasks = await CliRun.Of("train", "--models-file", Path.Combine(_dir, "models.json"), "--tasks", "chain_sum");
        Assert.Equal(2, tasks.ExitCode);
        Assert.Equal("error: train has no --tasks: the task mix is part of each experiment (and of the model it writes); to benchmark fewer tasks, give bench --tasks",
            tasks.Err.Trim());

        // ... and the old, always-ignored --only-tasks says so before anything else happens.
        var models = Path.Combine(_dir, "models.json");
        File.WriteAllText(models, """{ "models": [ { "name": "api", "backend": "openai", "base_url": "http://127.0.0.1:9/v1", "model": "m" } ] }""");
        var old = await CliRun.Of("train", "--models-file", models, "--only-tasks", "chain_sum");
        Assert.StartsWith("warning: train --only-tasks is deprecated and ignored", old.Err, StringComparison.Ordinal);
        Assert.Equal(0, old.ExitCode);
        Assert.Contains("ignored", old.Err);
    }

    [Fact]
    public async Task Train_models_filter_names_the_known_models_and_the_old_models_file_spelling_warns()
    {
        var models = Path.Combine(_dir, "models.json");
        File.WriteAllText(models, """{ "models": [ { "name": "a", "backend": "local", "path": "x" }, { "name": "b", "backend": "local", "path": "y" } ] }""");
        var unknown = await CliRun.Of("train", "--models-file", models, "--models", "zz");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains($"error: --models: 'zz' is not a model of {models} (it has: a, b)", unknown.Err);

        var old = await CliRun.Of("train", "--models", models, "--only-models", "zz");
        Assert.Equal(2, old.ExitCode);
        Assert.Contains("warning: --models <file> is deprecated; use --models-file <file>", old.Err);
        Assert.Contains("warning: --only-models is deprecated; use --models", old.Err);
        Assert.Contains($"error: --models: 'zz' is not a model of {models}", old.Err);

        var both = await CliRun.Of("train", Path.Combine(_dir, "exp.json"), "--models", "a");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("give either an experiment file or --models-file", both.Err);
    }
}
