using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Harness.Config;
using HierReason.Harness.Jobs;

namespace HierReason.Harness.Tests.Config;

/// <summary>
/// models.json's <c>"pipeline_output": true</c>: a "path" folder the pipeline writes before the benchmark (the process
/// section's DPO models) is, like a "train" model, not pinned to its checkpoint hash in results and snapshots.
/// </summary>
public sealed class PipelineOutputModelsTests : IDisposable
{
    private readonly TempDir _dir = new();

    private ModelSet Models(string entry) => ModelsFile.Parse($$"""{ "models": [ {{entry}} ] }""", "models.json", _dir.Path);

    private static TaskSet Tasks() => TaskSetFile.Parse("""{ "tasks": [ { "task": "chain_sum", "level": 0 } ], "defaults": { "n": 2 } }""", "tasks.json", RepoPaths.TaskConfigs);

    [Fact]
    public void A_pipeline_output_folder_keeps_its_hash_in_the_job_but_results_are_not_pinned_to_it()
    {
        Directory.CreateDirectory(_dir.Combine("m"));
        File.WriteAllText(_dir.Combine("m", "config.json"), "{}");
        var produced = JobMatrix.Expand(Tasks(), Models("""{ "name": "dpo", "backend": "local", "path": "m", "pipeline_output": true }"""), new MatrixOptions()).Single();
        var fixedFolder = JobMatrix.Expand(Tasks(), Models("""{ "name": "dpo", "backend": "local", "path": "m" }"""), new MatrixOptions()).Single();

        Assert.True(produced.Model.PipelineOutput);
        Assert.Equal(fixedFolder.Model.CheckpointHash, produced.Model.CheckpointHash);
        Assert.Null(produced.Model.FixedCheckpointHash);
        Assert.Equal(fixedFolder.Model.CheckpointHash, fixedFolder.Model.FixedCheckpointHash);
        // The default is not written, so the job keys of every other model stay as they were.
        Assert.DoesNotContain("pipeline_output", System.Text.Json.JsonSerializer.Serialize(fixedFolder.Model, HierReason.Core.Json.HierJson.Options));
    }

    [Fact]
    public void A_composite_over_a_trained_model_measures_pipeline_weights_and_is_not_pinned_either()
    {
        File.WriteAllText(_dir.Combine("x.json"), "{}");
        var set = ModelsFile.Parse("""
            { "models": [
                { "name": "base", "backend": "local", "train": "x.json", "bench": false },
                { "name": "base-maj4", "strategy": "majority_vote", "model": "base", "options": { "n": 4 } },
                { "name": "fixed", "backend": "local", "path": "m", "bench": false },
                { "name": "fixed-maj4", "strategy": "majority_vote", "model": "fixed", "options": { "n": 4 } }
            ] }
            """, "models.json", _dir.Path);
        var jobs = JobMatrix.Expand(Tasks(), set, new MatrixOptions());
        Assert.Null(jobs.Single(j => j.Model.Name == "base-maj4").Model.FixedCheckpointHash);
        Assert.NotNull(jobs.Single(j => j.Model.Name == "fixed-maj4").Model.FixedCheckpointHash);
    }

    [Theory]
    [InlineData("""{ "name": "t", "backend": "local", "train": "x.json", "pipeline_output": true }""", "models.json: $.models[0].pipeline_output: expected pipeline_output only on a local model with a \"path\"")]
    [InlineData("""{ "name": "m", "backend": "local", "path": "m", "pipeline_output": "yes" }""", "models.json: $.models[0].pipeline_output: expected true or false")]
    public void A_misplaced_or_mistyped_pipeline_output_names_the_file_and_the_json_path(string entry, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => Models(entry));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
