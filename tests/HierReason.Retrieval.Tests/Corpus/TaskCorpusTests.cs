using HierReason.Core;
using HierReason.Core.Tasks;
using HierReason.Retrieval.Corpus;

namespace HierReason.Retrieval.Tests.Corpus;

public sealed class TaskCorpusTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hierreason-task-corpus-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void A_levels_corpus_is_the_world_its_items_cite()
    {
        var task = new MultiHopLookupTask();
        foreach (var level in new[] { 0, 4 })
        {
            var meta = (MultiHopLookupMetadata)TaskDataset.Create(task, Split.Validation, 5, 1, level: level)[0].Metadata;
            var corpus = TaskCorpus.Generate(task, Split.Validation, meta.World.Seed, level);
            Assert.Equal(TaskCorpus.Of(meta.World), corpus);
            Assert.All(meta.GoldDocIds, id => Assert.Contains(corpus, d => d.Id == id));
        }
        Assert.NotEqual(TaskCorpus.Generate(task, Split.Test, 0), TaskCorpus.Generate(task, Split.Test, 1));
    }

    [Fact]
    public void A_task_without_documents_or_a_level_out_of_range_is_a_user_error()
    {
        var legs = TaskRegistry.Default.Get("leg_counting");
        Assert.Contains("has no corpus", Assert.Throws<HierReasonException>(() => TaskCorpus.Generate(legs, Split.Test, 0)).Message);
        Assert.Contains("levels 0-4", Assert.Throws<HierReasonException>(() => TaskCorpus.Generate(new MultiHopLookupTask(), Split.Test, 0, 5)).Message);
    }

    [Fact]
    public void Written_jsonl_reads_back_as_the_same_documents()
    {
        var documents = new List<Document>(TaskCorpus.Generate(new MultiHopLookupTask(), Split.Test, 0))
        {
            Document.FromTitleAndText("odd-1", "Quo\"te Ø", "Line one.\nLine \"two\" \\ tab\t."),
        };
        var path = Path.Combine(_dir, "corpus.jsonl");
        CorpusWriter.WriteJsonl(path, documents);
        Assert.Equal(documents, CorpusReader.ReadJsonl(path));
        Assert.Equal(documents.Count, File.ReadAllLines(path).Length);
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
