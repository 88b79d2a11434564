using HierReason.Core;
using HierReason.Core.Tasks;

namespace HierReason.Cli.Tests;

public class ExitCodeTests
{
    private sealed record BrokenConfig : TaskConfig;

    private sealed record BrokenMetadata : TaskMetadata;

    /// <summary>A task whose generator has a bug, and one whose generator reports a user error.</summary>
    private sealed class BrokenTask(string name, Func<Exception> failure) : ReasoningTask<BrokenConfig, BrokenMetadata>
    {
        public override string Name => name;
        public override string Description => "fails";
        protected override TaskItem Generate(BrokenConfig config, ItemContext context) => throw failure();
        protected override double ScoreAnswer(string answer, TaskItem item, BrokenMetadata metadata) => 0;
    }

    private static async Task<CliRun> Run(IReasoningTask task, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await HierReasonCli.RunAsync(args, stdout, stderr, new TaskRegistry([task]));
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task A_bug_exits_1_with_its_stack_trace()
    {
        var run = await Run(new BrokenTask("buggy", () => new InvalidOperationException("index bug")), "tasks", "sample", "buggy");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("System.InvalidOperationException: index bug", run.Err);
        Assert.Contains("   at ", run.Err);
    }

    [Fact]
    public async Task A_user_error_from_deep_inside_exits_2_with_only_its_message()
    {
        var run = await Run(new BrokenTask("narrow", () => new HierReasonException("narrow: the config allows too few questions")), "tasks", "sample", "narrow");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: narrow: the config allows too few questions", run.Err.Trim());
    }

    [Fact]
    public async Task An_engine_error_exits_2_with_only_its_message_like_a_user_error()
    {
        var run = await Run(new BrokenTask("engine", () => new HierReason.Engine.EngineException("ckpt: model.safetensors not found")), "tasks", "sample", "engine");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: ckpt: model.safetensors not found", run.Err.Trim());
    }

    [Fact]
    public async Task A_command_line_error_exits_2()
    {
        var run = await CliRun.Of("tasks", "sample");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: ", run.Err);
    }
}
