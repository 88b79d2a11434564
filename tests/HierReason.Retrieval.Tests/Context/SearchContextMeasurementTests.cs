using System.Text;
using HierReason.Core.Prompts;
using HierReason.Core.Tasks;
using HierReason.Retrieval.Context;

namespace HierReason.Retrieval.Tests.Context;

public sealed class SearchContextMeasurementTests
{
    private readonly MultiHopLookupTask _task = new();

    private static int Bytes(string text) => Encoding.UTF8.GetByteCount(text);

    [Fact]
    public void Every_hops_summary_is_the_sentence_of_its_document_naming_subject_and_object()
    {
        for (var level = 0; level < _task.Levels.Count; level++)
            foreach (var item in TaskDataset.Create(_task, Split.Test, 0, 40, level: level))
            {
                var meta = (MultiHopLookupMetadata)item.Metadata;
                var world = _task.World(meta.World);
                foreach (var hop in meta.Hops)
                {
                    var sentence = SearchContextMeasurement.Sentence(world, hop);
                    Assert.Contains(hop.Subject, sentence);
                    Assert.Contains(hop.Object, sentence);
                    Assert.EndsWith(".", sentence);
                    Assert.Contains(sentence, world.DocumentById(hop.DocId)!.Contents);
                }
            }
    }

    [Fact]
    public void Sentences_split_after_a_full_stop_that_a_space_or_the_end_follows()
    {
        Assert.Equal(["Ana was born in Tor.", "She works for Vex Labs."], SearchContextMeasurement.Sentences("Ana was born in Tor. She works for Vex Labs."));
        Assert.Equal(["A.B is one.", "tail"], SearchContextMeasurement.Sentences("A.B is one. tail"));
    }

    [Fact]
    public void Lengths_are_the_prompt_plus_the_gold_trace_with_its_document_swapped_for_passages_or_the_sentence()
    {
        var item = TaskDataset.Create(_task, Split.Test, 0, 1, level: 0)[0];
        var meta = (MultiHopLookupMetadata)item.Metadata;
        var world = _task.World(meta.World);
        var hop = Assert.Single(meta.Hops);
        var prompt = Bytes(TaskPrompt.For(item.Question));
        var document = Bytes(world.DocumentById(hop.DocId)!.Passage(1));

        var top1 = SearchContextMeasurement.Run(_task, Split.Test, n: 1, k: 1, positions: 1024).Levels[0];
        Assert.Equal(prompt, top1.Prompt.Max);
        var answer = top1.Steps.Single(s => s.Hop == 0);
        // The gold trace inserts the gold document as Passage(1); a top-1 search finds it and Search-R1's format adds a newline.
        Assert.Equal(prompt + Bytes(item.Solution) + 1, answer.Flat.Max);
        Assert.Equal(prompt + Bytes(item.Solution) - document + Bytes(SearchContextMeasurement.Sentence(world, hop)), answer.Summary.Max);
        var afterHop = top1.Steps.Single(s => s.Hop == 1);
        Assert.Equal(answer.Summary.Max - Bytes(item.Solution[(item.Solution.IndexOf("So the answer", StringComparison.Ordinal))..]), afterHop.Summary.Max);

        var top3 = SearchContextMeasurement.Run(_task, Split.Test, n: 1, k: 3, positions: 1024).Levels[0];
        Assert.True(top3.Steps[0].Flat.Max > afterHop.Flat.Max + 200);
    }

    [Fact]
    public void Over_budget_is_the_share_of_items_strictly_longer_than_the_positions()
    {
        Assert.Equal(new LengthStats(15, 20, 0.5), LengthStats.Of([10, 20], 10));
        Assert.Equal(0.0, LengthStats.Of([10, 20], 20).OverBudget);
    }
}
