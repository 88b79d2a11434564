using HierReason.Core.Tasks;
using HierReason.Retrieval.Corpus;

namespace HierReason.Cli.Tests.Commands;

/// <summary><c>hierreason tasks corpus</c> and <c>retrieve … --task</c>: corpora straight from the task generator.</summary>
public sealed class TaskCorpusCommandsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hierreason-task-corpus-" + Guid.NewGuid().ToString("N")[..8]);

    public TaskCorpusCommandsTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public async Task Tasks_corpus_writes_the_worlds_documents_as_jsonl_that_reads_back()
    {
        var path = Path.Combine(_dir, "out", "corpus.jsonl");
        var run = await CliRun.Of("tasks", "corpus", "multi_hop_lookup", "--split", "test", "--world-seed", "0", "--output", path);
        Assert.Equal(0, run.ExitCode);
        var world = MultiHopLookupTask.Corpus(Split.Test, 0);
        Assert.Equal($"{world.Count} documents of multi_hop_lookup's test world 0 written to {path}", run.Lines.Single());
        var documents = CorpusReader.ReadJsonl(path);
        Assert.Equal(world.Count, documents.Count);
        Assert.Equal(world.Select(d => (d.Id, d.Title, d.SearchR1Contents)), documents.Select(d => (d.Id, d.Title, d.Contents)));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task Tasks_corpus_of_level_4_writes_that_levels_world_with_its_extra_distractors()
    {
        var path = Path.Combine(_dir, "level4.jsonl");
        Assert.Equal(0, (await CliRun.Of("tasks", "corpus", "multi_hop_lookup", "--level", "4", "--output", path)).ExitCode);
        var item = TaskDataset.Create(new MultiHopLookupTask(), Split.Test, 0, 1, level: 4)[0];
        var world = MultiHopLookupTask.Corpus(((MultiHopLookupMetadata)item.Metadata).World);
        Assert.Equal(world.Select(d => d.SearchR1Contents), CorpusReader.ReadJsonl(path).Select(d => d.Contents));
        Assert.NotEqual(MultiHopLookupTask.Corpus(Split.Test, 0).Select(d => d.Contents), world.Select(d => d.Contents));
    }

    [Fact]
    public async Task Tasks_corpus_of_a_task_without_documents_exits_2_saying_so()
    {
        var path = Path.Combine(_dir, "legs.jsonl");
        var run = await CliRun.Of("tasks", "corpus", "leg_counting", "--output", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("task 'leg_counting' has no corpus", run.Err);
        Assert.False(File.Exists(path));
        Assert.Equal(2, (await CliRun.Of("tasks", "corpus", "multi_hop_lookup", "--level", "9", "--output", path)).ExitCode);
    }

    [Fact]
    public async Task Retrieve_query_on_a_tasks_world_returns_the_gold_document_of_a_hop_first()
    {
        var item = TaskDataset.Create(new MultiHopLookupTask(), Split.Test, 0, 1, level: 1)[0];
        var hop = ((MultiHopLookupMetadata)item.Metadata).Hops[1];
        var run = await CliRun.Of("retrieve", "query", "--task", "multi_hop_lookup", "--split", "test", "--world-seed", "0", "--query", hop.Query, "--json");
        Assert.Equal(0, run.ExitCode);
        var first = System.Text.Json.Nodes.JsonNode.Parse(run.Out)!["result"]![0]![0]!["document"]!;
        Assert.Equal(hop.DocId, first["id"]!.GetValue<string>());

        var passages = await CliRun.Of("retrieve", "query", "--task", "multi_hop_lookup", "--query", hop.Query, "--k", "1");
        Assert.StartsWith($"Doc 1(Title: \"{hop.Subject}\") ", passages.Out);
    }

    [Fact]
    public async Task Retrieve_index_builds_a_tasks_world_on_disk()
    {
        var run = await CliRun.Of("retrieve", "index", "--task", "multi_hop_lookup", "--output", Path.Combine(_dir, "indexes"));
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"{MultiHopLookupTask.Corpus(Split.Test, 0).Count} documents indexed in ", run.Lines.Single());
    }

    [Fact]
    public async Task Both_or_neither_of_corpus_and_task_exits_2_with_a_message_naming_the_choices()
    {
        var corpus = Path.Combine(_dir, "c.jsonl");
        File.WriteAllText(corpus, "{\"id\": \"0\", \"contents\": \"\\\"A\\\"\\nB\"}\n");
        var both = await CliRun.Of("retrieve", "query", "--corpus", corpus, "--task", "multi_hop_lookup", "--query", "x");
        Assert.Equal(2, both.ExitCode);
        Assert.Equal("error: give exactly one of --corpus FILE, --task NAME or --index DIR", both.Err.Trim());
        var neither = await CliRun.Of("retrieve", "index", "--output", _dir);
        Assert.Equal(2, neither.ExitCode);
        Assert.Equal("error: give exactly one of --corpus FILE or --task NAME", neither.Err.Trim());
        var stray = await CliRun.Of("retrieve", "query", "--corpus", corpus, "--world-seed", "3", "--query", "x");
        Assert.Equal(2, stray.ExitCode);
        Assert.Equal("error: --world-seed goes with --task, not with --corpus", stray.Err.Trim());
        Assert.Equal(2, (await CliRun.Of("retrieve", "query", "--task", "leg_counting", "--query", "x")).ExitCode);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
