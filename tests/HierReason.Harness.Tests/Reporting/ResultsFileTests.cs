using System.Text.Json;
using HierReason.Core;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Harness.Reporting;

namespace HierReason.Harness.Tests.Reporting;

public class ResultsFileTests
{
    [Fact]
    public void A_single_task_file_and_an_all_tasks_file_are_told_apart_by_their_fields()
    {
        using var dir = new TempDir();
        var summary = SampleResults.Summary();
        var all = SampleResults.Write(dir.Path, "results_all_tasks_x.json", summary);
        var one = SampleResults.Write(dir.Path, "results_leg_counting_x.json", SampleResults.Task(summary, "leg_counting"));

        var loadedAll = Assert.IsType<ResultsFile.AllTasks>(ResultsFile.Load(all));
        Assert.Equal(summary.Tasks, loadedAll.Summary.Tasks);
        Assert.Equal(6, loadedAll.Summary.Rows.Count);
        var loadedOne = Assert.IsType<ResultsFile.SingleTask>(ResultsFile.Load(one));
        Assert.Equal("leg_counting", loadedOne.Results.Task);
        Assert.Equal([0.425, 0.61], loadedOne.Results.Rows.Select(r => r.Accuracy));
    }

    [Theory]
    [InlineData("{ \"schema_version\": 1, \"rows\": [ ", "$", "valid JSON")]
    [InlineData("[1, 2]", "$", "a results file")]
    [InlineData("{ \"schema_version\": 1, \"rows\": [] }", "$", "a single-task results object")]
    [InlineData("{ \"task\": \"t\", \"rows\": [] }", "$.schema_version", "the schema version (1)")]
    [InlineData("{ \"schema_version\": 7, \"task\": \"t\", \"rows\": [] }", "$.schema_version", "schema version 1")]
    [InlineData("{ \"schema_version\": \"1\", \"task\": \"t\", \"rows\": [] }", "$.schema_version", "the schema version (1)")]
    public void Malformed_files_are_rejected_naming_file_and_path(string json, string path, string expected)
    {
        using var dir = new TempDir();
        var file = dir.Combine("bad.json");
        File.WriteAllText(file, json);
        var e = Assert.Throws<ConfigException>(() => ResultsFile.Load(file));
        Assert.Equal(file, e.File);
        Assert.Equal(path, e.JsonPath);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith(file + ": " + path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_accuracy_outside_zero_to_one_is_rejected_at_its_row()
    {
        using var dir = new TempDir();
        var summary = SampleResults.Summary(SampleResults.Row("a", "m", 0.5), SampleResults.Row("b", "m", 42.5));
        var file = SampleResults.Write(dir.Path, "r.json", summary);
        var e = Assert.Throws<ConfigException>(() => ResultsFile.Load(file));
        Assert.Equal("$.rows[1].accuracy", e.JsonPath);
        Assert.Contains("[0, 1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void New_row_fields_are_read_when_present_and_checked()
    {
        using var dir = new TempDir();
        var sampled = SampleResults.Row("a", "m", 0.5) with
        {
            SamplesPerItem = 4,
            PassAtK = 0.75,
            MajAtK = 0.5,
            SampleAccuracy = 0.45,
            DistinctAnswers = 7,
            GoldDistinctAnswers = 9,
            TopAnswerShare = 0.3,
            ConstantAnswerAccuracy = 0.2,
        };
        var file = SampleResults.Write(dir.Path, "r.json", SampleResults.Summary(sampled));
        Assert.Equal(sampled, ((ResultsFile.AllTasks)ResultsFile.Load(file)).Summary.Rows.Single());

        File.WriteAllText(file, File.ReadAllText(file).Replace("\"pass_at_k\": 0.75", "\"pass_at_k\": 75", StringComparison.Ordinal));
        var e = Assert.Throws<ConfigException>(() => ResultsFile.Load(file));
        Assert.Equal("$.rows[0].pass_at_k", e.JsonPath);
        File.WriteAllText(file, JsonSerializer.Serialize(SampleResults.Summary(sampled with { SamplesPerItem = 0 }), HierJson.Indented));
        Assert.Equal("$.rows[0].samples_per_item", Assert.Throws<ConfigException>(() => ResultsFile.Load(file)).JsonPath);
    }

    [Fact]
    public void An_unknown_field_in_a_row_is_named_with_its_path()
    {
        using var dir = new TempDir();
        var file = SampleResults.Write(dir.Path, "r.json", SampleResults.Task(SampleResults.Summary(), "chain_sum"));
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"format_rate\"", "\"format_ratio\"", StringComparison.Ordinal));
        var e = Assert.Throws<ConfigException>(() => ResultsFile.Load(file));
        Assert.StartsWith("$.rows[0]", e.JsonPath, StringComparison.Ordinal);
        Assert.Contains("format_ratio", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_task_file_is_not_accepted_where_a_summary_is_needed()
    {
        using var dir = new TempDir();
        var file = SampleResults.Write(dir.Path, "one.json", SampleResults.Task(SampleResults.Summary(), "chain_sum"));
        var e = Assert.Throws<ConfigException>(() => ResultsFile.LoadSummary(file));
        Assert.Contains("all-tasks summary", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_a_user_error_not_a_crash()
    {
        var e = Assert.Throws<ConfigException>(() => ResultsFile.Load("/no/such/results.json"));
        Assert.Contains("no such file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_task_model_rows_are_rejected()
    {
        using var dir = new TempDir();
        var s = SampleResults.Summary();
        var file = SampleResults.Write(dir.Path, "r.json", s with { Rows = [.. s.Rows, s.Rows[0]] });
        var e = Assert.Throws<ConfigException>(() => ResultsFile.Load(file));
        Assert.Equal("$.rows[6]", e.JsonPath);
    }
}
