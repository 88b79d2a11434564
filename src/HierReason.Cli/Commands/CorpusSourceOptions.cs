using System.CommandLine;
using HierReason.Core;
using HierReason.Core.Tasks;
using HierReason.Retrieval.Corpus;

namespace HierReason.Cli.Commands;

/// <summary>
/// Where a command's documents come from: a Search-R1 JSONL file (<c>--corpus</c>) or the world a task generates
/// (<c>--task multi_hop_lookup --split test --world-seed 0 --level N</c>).
/// </summary>
public sealed class CorpusSourceOptions
{
    public Option<string?> Corpus { get; } = new("--corpus")
    {
        Description = "The corpus: JSONL, one {\"id\", \"contents\"} a line (contents \"Title\"\\ntext; an optional \"title\" field).",
    };

    public Option<string?> Task { get; } = new("--task") { Description = "Use the documents of a task's generated world instead of --corpus (multi_hop_lookup)." };

    public Option<string> Split { get; } = new("--split") { Description = "With --task: the split whose world to use (train, validation or test).", DefaultValueFactory = _ => "test" };

    public Option<long> WorldSeed { get; } = new("--world-seed") { Description = "With --task: the world's seed.", DefaultValueFactory = _ => 0 };

    public Option<int?> Level { get; } = new("--level") { Description = "With --task: the difficulty level whose world to use (its size and distractors); the default config when absent." };

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> All => [Corpus, Task, Split, WorldSeed, Level];

    /// <summary>Whether the user named a corpus or a task.</summary>
    public bool Given(ParseResult parse) => parse.GetValue(Corpus) is not null || parse.GetValue(Task) is not null;

    /// <summary>
    /// The documents of the corpus file or of the task's world: exactly one of the two (<paramref name="choices"/> names
    /// every source the command accepts, for the error message).
    /// </summary>
    public IReadOnlyList<Document> Read(ParseResult parse, TaskRegistry registry, string choices = "--corpus FILE or --task NAME")
    {
        var (file, task) = (parse.GetValue(Corpus), parse.GetValue(Task));
        if (file is null == task is null)
            throw new HierReasonException($"give exactly one of {choices}");
        if (file is not null)
        {
            var stray = new Option[] { Split, WorldSeed, Level }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false });
            if (stray is not null) throw new HierReasonException($"{stray.Name} goes with --task, not with --corpus");
            return CorpusReader.ReadJsonl(file);
        }
        return TaskCorpus.Generate(registry.Get(task!), Splits.Parse(parse.GetValue(Split)!), CheckSeed(parse.GetValue(WorldSeed)), parse.GetValue(Level));
    }

    private static long CheckSeed(long seed) => seed >= 0 ? seed : throw new HierReasonException($"--world-seed: expected 0 or more; found {seed}");
}
