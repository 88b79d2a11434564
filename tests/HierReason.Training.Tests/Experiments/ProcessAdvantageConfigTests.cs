using HierReason.Core;
using HierReason.Training.Experiments;
using HierReason.Training.Grpo;

namespace HierReason.Training.Tests.Experiments;

/// <summary><c>grpo.advantage</c> and <c>grpo.process_reward</c> in an experiment file.</summary>
public sealed class ProcessAdvantageConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-process-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string grpo, string task = "chain_sum")
    {
        var path = Path.Combine(_dir, "exp.json");
        File.WriteAllText(path, $$"""{ "model": { "init": "tiny" }, "data": { "tasks": [ { "task": "{{task}}" } ] }, "grpo": {{grpo}} }""");
        return path;
    }

    [Fact]
    public void Process_advantage_reads_with_the_oracle_as_its_default_reward_and_outcome_stays_the_default()
    {
        var process = ExperimentConfig.Load(Write("""{ "advantage": "process" }""")).Grpo!;
        Assert.Equal((AdvantageKind.Process, "oracle"), (process.Options.Advantage, process.ProcessReward));
        var oracle = ExperimentConfig.Load(Write("""{ "advantage": "process", "process_reward": "oracle" }""")).Grpo!;
        Assert.Equal((AdvantageKind.Process, "oracle"), (oracle.Options.Advantage, oracle.ProcessReward));
        Assert.Equal(AdvantageKind.Outcome, ExperimentConfig.Load(Write("{}")).Grpo!.Options.Advantage);
        Assert.Equal(AdvantageKind.Outcome, ExperimentConfig.Load(Write("""{ "advantage": "outcome" }""")).Grpo!.Options.Advantage);
    }

    [Fact]
    public void A_prm_folder_is_resolved_relative_to_the_experiment_file()
    {
        var prm = Directory.CreateDirectory(Path.Combine(_dir, "models", "prm")).FullName;
        File.WriteAllText(Path.Combine(prm, "config.json"), "{}");
        var grpo = ExperimentConfig.Load(Write("""{ "advantage": "process", "process_reward": "models/prm" }""")).Grpo!;
        Assert.Equal(prm, grpo.ProcessReward);
    }

    [Theory]
    [InlineData("""{ "advantage": "steps" }""", "chain_sum", "$.grpo.advantage", "one of outcome, process")]
    [InlineData("""{ "process_reward": "oracle" }""", "chain_sum", "$.grpo.process_reward", "only with")]
    [InlineData("""{ "advantage": "process", "process_reward": "oracel" }""", "chain_sum", "$.grpo.process_reward", "or a PRM folder with config.json")]
    [InlineData("""{ "advantage": "process" }""", "leg_counting", "$.grpo.process_reward", "task 'leg_counting' has no oracle step checker")]
    public void Bad_process_settings_name_the_file_and_field(string grpo, string task, string field, string message)
    {
        var path = Write(grpo, task);
        var error = Assert.Throws<ConfigException>(() => ExperimentConfig.Load(path));
        Assert.Equal((path, field), (error.File, error.JsonPath));
        Assert.Contains(message, error.Message);
    }
}
