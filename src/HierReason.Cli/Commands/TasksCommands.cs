using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Core.Json;
using HierReason.Core.Tasks;
using HierReason.Retrieval.Corpus;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason tasks</c>: list the registered tasks, sample items, score answers, print a task's config file.</summary>
public static class TasksCommands
{
    public static Command Build(IServiceProvider services)
    {
        var tasks = new Command("tasks", "List, sample, score and configure reasoning tasks.");
        tasks.Subcommands.Add(List(services));
        tasks.Subcommands.Add(Sample(services));
        tasks.Subcommands.Add(Score(services));
        tasks.Subcommands.Add(Config(services));
        tasks.Subcommands.Add(Corpus(services));
        return tasks;
    }

    private static Command List(IServiceProvider services)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array instead of tables." };
        var command = new Command("list", "Every registered task: description, config fields with defaults, difficulty levels.") { json };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var registry = services.GetRequiredService<TaskRegistry>();
            if (parse.GetValue(json)) console.Out.WriteLine(TaskCatalog.ToJson(registry.All).ToJsonString(HierJson.Indented));
            else TaskCatalog.Render(console.Ansi, registry.All);
            return 0;
        });
        return command;
    }

    private static Command Sample(IServiceProvider services)
    {
        var task = new Argument<string>("task") { Description = "The task's registered name, e.g. leg_counting." };
        var n = new Option<int>("--n") { Description = "How many items.", DefaultValueFactory = _ => 5 };
        var split = new Option<string>("--split") { Description = "train, validation or test.", DefaultValueFactory = _ => "train" };
        var seed = new Option<long>("--seed") { Description = "Dataset seed.", DefaultValueFactory = _ => 0 };
        var level = new Option<int?>("--level") { Description = "Difficulty level (index into the task's levels)." };
        var set = new Option<string[]>("--set")
        {
            Description = "Config override key=value (JSON when the value is valid JSON, else a string); repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var configDir = new Option<string>("--task-configs") { Description = "Directory of task config files (<task>.json).", DefaultValueFactory = _ => "tasks" }.WithOldSpellings("--config-dir");
        var json = new Option<bool>("--json") { Description = "Print one JSON item per line (JSONL)." };
        var command = new Command("sample", "Generate items of a task and print them.") { task, n, split, seed, level, set, configDir, json };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var registry = services.GetRequiredService<TaskRegistry>();
            var t = registry.Get(parse.GetValue(task)!);
            var count = parse.GetValue(n);
            if (count is < 0 or > TaskSetFile.MaxItems)
                throw new HierReasonException($"--n: expected an integer in [0, {TaskSetFile.MaxItems}]; found {count}");
            var s = Splits.Parse(parse.GetValue(split)!);
            var lvl = parse.GetValue(level);

            var file = TaskConfigFile.ForTask(t, TaskConfigsOption.Directory(parse, configDir), registry);
            var baseConfig = file.ConfigAt(lvl, "--level", "$");
            var config = t.ParseConfig(ConfigOverrides.Parse(parse.GetValue(set)), "--set", "$", baseConfig);

            var dataset = TaskDataset.Create(t, s, parse.GetValue(seed), count, config, lvl);
            var jsonl = parse.GetValue(json);
            foreach (var item in dataset)
            {
                if (jsonl) console.Out.WriteLine(TaskItemJson.Serialize(item));
                else WriteReadable(console.Out, item);
            }
            return 0;
        });
        return command;
    }

    private static void WriteReadable(TextWriter output, TaskItem item)
    {
        output.WriteLine($"── {item.Id}");
        output.WriteLine("Question: " + item.Question);
        output.WriteLine("Answer: " + item.Answer);
        output.WriteLine("Solution:");
        foreach (var line in item.Solution.Split('\n')) output.WriteLine("  " + line);
        output.WriteLine();
    }

    private static Command Score(IServiceProvider services)
    {
        var input = new Option<string>("--input") { Description = "JSONL file of {\"item\": …, \"answer\"|\"completion\": \"…\"} lines.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON result per line: {score, extracted, format_ok}." };
        var command = new Command("score", "Score answers or full completions against their items.") { input, json };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var registry = services.GetRequiredService<TaskRegistry>();
            // Read everything first: a bad line exits 2 before any result is printed.
            var results = CompletionScoring.Score(parse.GetValue(input)!, registry).ToList();
            if (parse.GetValue(json))
            {
                foreach (var r in results)
                {
                    var line = new JsonObject { ["score"] = r.Score, ["extracted"] = r.Extracted, ["format_ok"] = r.FormatOk };
                    console.Out.WriteLine(line.ToJsonString(HierJson.Options));
                }
                return 0;
            }
            var table = new Table().AddColumn("Line").AddColumn("Item").AddColumn("Extracted").AddColumn("Score").AddColumn("Format ok");
            foreach (var r in results)
                table.AddRow(r.Line.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.ItemId), Markup.Escape(r.Extracted ?? "(none)"),
                    r.Score.ToString("0.###", CultureInfo.InvariantCulture), r.FormatOk ? "yes" : "no");
            console.Ansi.Write(table);
            var mean = results.Count == 0 ? "n/a" : results.Average(r => r.Score).ToString("0.####", CultureInfo.InvariantCulture);
            console.Out.WriteLine($"mean score: {mean} over {results.Count} item{(results.Count == 1 ? "" : "s")}");
            return 0;
        });
        return command;
    }

    private static Command Config(IServiceProvider services)
    {
        var task = new Argument<string>("task") { Description = "The task's registered name." };
        var command = new Command("config", "Print a task's default config and levels as a tasks/<task>.json file.") { task };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var t = services.GetRequiredService<TaskRegistry>().Get(parse.GetValue(task)!);
            console.Out.WriteLine(TaskConfigFile.Defaults(t).ToJson().ToJsonString(HierJson.Indented));
            return 0;
        });
        return command;
    }

    private static Command Corpus(IServiceProvider services)
    {
        var task = new Argument<string>("task") { Description = "The task's registered name (a task with documents: multi_hop_lookup)." };
        var split = new Option<string>("--split") { Description = "train, validation or test.", DefaultValueFactory = _ => "test" };
        var worldSeed = new Option<long>("--world-seed") { Description = "The world's seed.", DefaultValueFactory = _ => 0 };
        var level = new Option<int?>("--level") { Description = "Difficulty level whose world to write (its size and distractors); the default config when absent." };
        var output = new Option<string>("--output", "-o") { Description = "The JSONL file to write (Search-R1's {\"id\", \"contents\"} a line).", Required = true }.WithOldSpellings("--out");
        var command = new Command("corpus", "Write the documents of a task's generated world as a Search-R1 corpus (for 'retrieve' or a Search-R1 retriever).")
        {
            task, split, worldSeed, level, output,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var t = services.GetRequiredService<TaskRegistry>().Get(parse.GetValue(task)!);
            var seed = parse.GetValue(worldSeed);
            if (seed < 0) throw new HierReasonException($"--world-seed: expected 0 or more; found {seed}");
            var s = Splits.Parse(parse.GetValue(split)!);
            var documents = TaskCorpus.Generate(t, s, seed, parse.GetValue(level));
            var path = parse.GetValue(output)!;
            CorpusWriter.WriteJsonl(path, documents);
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{documents.Count} documents of {t.Name}'s {s.Name()} world {seed} written to {path}"));
            return 0;
        });
        return command;
    }
}
