using System.Text.Json.Nodes;
using HierReason.Core.Steps;
using HierReason.Core.Tasks;
using HierReason.Training.Prm;

namespace HierReason.Training.Tests.Prm;

public sealed class StepLabelFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hierreason-prm-" + Guid.NewGuid().ToString("N"));

    public StepLabelFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static StepLabelRecord Record(string id = "chain_sum/train/0/0", int sample = 0, int itemRecords = 1) => new(
        id, "chain_sum", sample, itemRecords, "Think step by step.\n\nWhat is 1 + 2 + 3?",
        ["1 + 2 = 3", "note", "3 + 3 = 6"], ["1011", null, "0000"],
        [StepVerdict.Correct, StepVerdict.Neutral, StepVerdict.Incorrect], FinalCorrect: false);

    [Fact]
    public void Records_round_trip_through_trl_stepwise_json_with_labels_of_each_kind()
    {
        var record = Record();
        var hard = JsonNode.Parse(StepLabelFile.Format(record, LabelKind.Hard))!.AsObject();
        Assert.Equal(record.Prompt, (string)hard["prompt"]!);
        Assert.Equal(record.Steps, hard["completions"]!.AsArray().Select(s => (string)s!));
        // The unlabelled middle step takes the next state's value; "labelled" says it was not estimated.
        Assert.Equal(new[] { true, false, false }, hard["labels"]!.AsArray().Select(l => (bool)l!));
        Assert.Equal(new[] { true, false, true }, hard["labelled"]!.AsArray().Select(l => (bool)l!));
        Assert.Equal(new double?[] { 0.75, null, 0 }, hard["values"]!.AsArray().Select(v => (double?)v));
        Assert.Equal(new[] { "correct", "neutral", "incorrect" }, hard["oracle"]!.AsArray().Select(v => (string)v!));
        var soft = JsonNode.Parse(StepLabelFile.Format(record, LabelKind.Soft))!;
        Assert.Equal(new[] { 0.75, 0, 0 }, soft["labels"]!.AsArray().Select(l => (double)l!));
        var count = JsonNode.Parse(StepLabelFile.Format(record, LabelKind.Count))!;
        Assert.Equal(new[] { 3, 0, 0 }, count["labels"]!.AsArray().Select(l => (int)l!));

        var back = StepLabelRecord.FromJson(hard, "test");
        Assert.Equal(record.Steps, back.Steps);
        Assert.Equal(record.Outcomes, back.Outcomes);
        Assert.Equal(record.Oracle, back.Oracle);
        Assert.Equal(record with { Steps = back.Steps, Outcomes = back.Outcomes, Oracle = back.Oracle }, back);
    }

    [Fact]
    public void A_cut_last_line_is_ignored_and_a_bad_complete_line_names_file_line_and_path()
    {
        var path = Path.Combine(_dir, "cut.jsonl");
        var line = StepLabelFile.Format(Record(), LabelKind.Hard);
        File.WriteAllText(path, line + "\n" + line[..40]);
        Assert.Single(StepLabelFile.ReadRecords(path));

        File.WriteAllText(path, line + "\n" + line.Replace("\"1011\"", "\"10x1\"") + "\n");
        var e = Assert.Throws<TrainingException>(() => StepLabelFile.ReadRecords(path));
        Assert.Contains($"{path}, line 2: $.outcomes[0]", e.Message);
    }

    [Fact]
    public void A_rerun_after_an_interruption_labels_only_unfinished_items_and_writes_no_duplicates()
    {
        var task = TaskRegistry.Default.Get("chain_sum");
        var items = TaskDataset.Create(task, Split.Train, 0, 4).ToArray();
        var byQuestion = items.ToDictionary(i => i.Question);
        ScriptedSampler Sampler() => new(q => byQuestion[q].Answer, q => byQuestion[q].Solution);
        var options = new StepLabelOptions { Solutions = 2, K = 3, AllSteps = true };
        var path = Path.Combine(_dir, "labels.jsonl");

        var first = new StepLabelRun(new StepLabeler(Sampler(), options), LabelKind.Soft, batchItems: 2).Run(path, items, task, null);
        Assert.Equal(4, first.ItemsDone);
        var full = File.ReadAllLines(path);
        Assert.Equal(8, full.Length);

        // Interrupted in the last item's second record: that item is incomplete, its first record must go too.
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text[..(text.Length - 30)]);
        var sampler = Sampler();
        var progress = new List<StepLabelProgress>();
        var second = new StepLabelRun(new StepLabeler(sampler, options), LabelKind.Soft, batchItems: 2).Run(path, items, task, null, progress.Add);

        Assert.Equal(3, second.ItemsResumed);
        Assert.Equal(new[] { items[3].Question }, sampler.Calls[0].Select(s => s.Question));
        var records = StepLabelFile.ReadRecords(path);
        Assert.Equal(8, records.Count);
        Assert.Equal(8, records.Select(r => (r.ItemId, r.Sample)).Distinct().Count());
        Assert.Equal(items.Select(i => i.Id), records.Select(r => r.ItemId).Distinct());
        Assert.Equal(full[..6], File.ReadAllLines(path)[..6]);

        // A third run finds everything done and samples nothing.
        var idle = Sampler();
        new StepLabelRun(new StepLabeler(idle, options), LabelKind.Soft, batchItems: 2).Run(path, items, task, null);
        Assert.Empty(idle.Calls);
        Assert.Equal(8, File.ReadAllLines(path).Length);

        // Other labels would mix kinds in one file.
        var e = Assert.Throws<TrainingException>(() => new StepLabelRun(new StepLabeler(idle, options), LabelKind.Hard, 2).Run(path, items, task, null));
        Assert.Contains("--labels soft", e.Message);
    }
}
