using System.Text.Json.Nodes;
using HierReason.Backends;
using HierReason.Core;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Tokenizers;
using HierReason.Reasoning.Strategies;
using HierReason.Reasoning.Strategies.PlannerWorker;
using HierReason.Training.Grpo;
using HierReason.Training.Sft;

namespace HierReason.Reasoning.Tests.Strategies.PlannerWorker;

public class PlannerWorkerStrategyTests
{
    private static readonly ByteTokenizer Tokenizer = new();

    private static EpisodeStrategy Create(IModelBackend worker, JsonObject? options = null) =>
        StrategyRegistry.Default.Create("planner_worker", new StrategyContext(
            StrategyCatalog.Default.Get("planner_worker", null, "$").Options(options, null, "$"),
            new Dictionary<string, IModelBackend> { ["worker"] = worker }));

    [Fact]
    public void The_catalog_lists_its_roles_and_completes_its_options()
    {
        var descriptor = StrategyCatalog.Default.Get("planner_worker", null, "$");
        Assert.Equal(["planner", "worker"], descriptor.Roles);
        Assert.Equal("planner", descriptor.PolicyRole);
        Assert.Equal("""{"combine":"model","worker_temperature":0,"worker_max_tokens":256,"max_subproblems":8,"depth":1,"plan":"model"}""",
            descriptor.Options(null, null, "$").ToJsonString());
        Assert.Equal("exact", (string)descriptor.Options(new JsonObject { ["combine"] = "exact" }, null, "$")["combine"]!);
    }

    [Theory]
    [InlineData("combine", "\"sum\"", "\"model\" or \"exact\"")]
    [InlineData("worker_temperature", "-0.5", "a number in [0, 2]")]
    [InlineData("worker_max_tokens", "0", "an integer in [1, 8192]")]
    [InlineData("max_subproblems", "2.5", "an integer in [1, 64]")]
    [InlineData("depth", "3", "an integer in [1, 2]")]
    [InlineData("plan", "\"oracle\"", "\"model\" or \"gold\"")]
    [InlineData("max_depth", "1", "one of the options combine, worker_temperature")]
    public void A_bad_option_names_its_file_path_and_expectation(string key, string value, string expected)
    {
        var options = new JsonObject { [key] = JsonNode.Parse(value) };
        var e = Assert.Throws<ConfigException>(() => StrategyCatalog.Default.Get("planner_worker", null, "$").Options(options, "models.json", "$.models[3].options"));
        Assert.StartsWith($"models.json: $.models[3].options.{key}: expected", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gold_plan_needs_only_the_worker_role_and_brings_its_own_policy()
    {
        var descriptor = StrategyCatalog.Default.Get("planner_worker", null, "$");
        Assert.Equal(["planner", "worker"], descriptor.RolesFor(descriptor.Options(null, null, "$")));
        Assert.Equal(["worker"], descriptor.RolesFor(descriptor.Options(new JsonObject { ["plan"] = "gold" }, null, "$")));
        Assert.Null(Create(new ScriptedWorker(_ => "")).OwnPolicy);
        Assert.IsType<GoldPlanPolicy>(Create(new ScriptedWorker(_ => ""), new JsonObject { ["plan"] = "gold" }).OwnPolicy);
    }

    [Fact]
    public void The_registry_builds_it_over_the_worker_role_with_the_planner_trained_and_the_workers_answer()
    {
        var strategy = Create(new ScriptedWorker(_ => ""), new JsonObject { ["combine"] = "exact", ["worker_max_tokens"] = 64 });
        var environment = Assert.IsType<PlannerWorkerEnvironment>(strategy.Environment);
        Assert.Equal(("exact", 64), (environment.Options.Combine, environment.Options.WorkerMaxTokens));
        Assert.Equal((Actor.Planner, AnswerSource.Environment), (strategy.PolicyActor, strategy.Answers));
        var item = PlannerWorkerEnvironmentTests.Item(0);
        Assert.Equal(PlannerWorkerStrategy.Instruction + "\n\nProblem: " + item.Question, strategy.Prompt(item));
        Assert.Contains("no model for the role 'worker'", Assert.Throws<InvalidOperationException>(() => StrategyRegistry.Default.Create("planner_worker", new JsonObject())).Message);
    }

    [Fact]
    public void Gold_episodes_learn_the_gold_plan_and_mask_the_workers_transcript()
    {
        var item = PlannerWorkerEnvironmentTests.Item(0);
        var strategy = Create(new ScriptedWorker(_ => ""));
        var gold = strategy.Gold(item)!;
        Assert.Equal([Actor.Planner, Actor.Worker], gold.Select(s => s.Actor));
        var plan = PlanParser.Parse(gold[0].Text)!;
        Assert.Equal(GoldDecomposition.Of(item)!.Subproblems.Select(s => s.Question), plan.Subproblems);
        Assert.EndsWith($"<answer>{item.Answer}</answer>", gold[1].Text, StringComparison.Ordinal);

        var template = new ChatMLTemplate();
        var example = SftExample.ForEpisode(item, strategy, Tokenizer, template, 4096)!;
        var learned = Tokenizer.Encode(gold[0].Text + SftExample.EndOfTurn(template, Tokenizer)).Length;
        var masked = Tokenizer.Encode(gold[1].Text).Length;
        Assert.Equal(learned + masked, example.CompletionLength);
        Assert.Equal(Enumerable.Repeat(true, learned).Concat(Enumerable.Repeat(false, masked)), example.Learned!);
    }

    [Fact]
    public void Items_without_a_split_get_a_direct_gold_plan_and_the_gold_solution_as_the_workers_text()
    {
        var task = TaskRegistry.Default.Get("chain_sum");
        var item = task.Generate(task.Levels[0], Split.Test, 0, 0); // two terms: one chunk
        var gold = Create(new ScriptedWorker(_ => "")).Gold(item)!;
        Assert.Equal("""{"should_decompose":false,"subproblems":[],"plan":"solve it directly"}""", gold[0].Text);
        Assert.Equal(item.Solution, gold[1].Text);
    }

    [Fact]
    public async Task In_a_rollout_only_the_planners_tokens_carry_loss()
    {
        TaskItem[] items = [PlannerWorkerEnvironmentTests.Item(0), PlannerWorkerEnvironmentTests.Item(1)];
        var strategy = Create(PlannerWorkerEnvironmentTests.GoldWorker(items));
        var policy = new ScriptedPlanner(Tokenizer, e => e.Item!.Id == items[0].Id ? PlannerWorkerStrategy.GoldPlan(e.Item) : """{"should_decompose": false}""");
        var episodes = await new EpisodeRunner(policy, strategy, new EpisodeLimits(512)).RunAsync(items, 2, seed: 1);

        Assert.All(episodes, e => Assert.Equal((EpisodeEnd.Terminal, 1.0), (e.End, new Training.Rewards.CorrectnessReward().Score(
            new Training.Rewards.RewardContext(e, PlannerWorkerEnvironmentTests.Task, 512, strategy.Answers)))));
        var mask = CompletionMask.Build(episodes, maskTruncated: false);
        for (var row = 0; row < episodes.Count; row++)
        {
            var e = episodes[row];
            var plan = e.Segments[1].TokenIds!.Count;
            var worker = e.Segments[2].TokenIds!.Count;
            Assert.Equal([Actor.Prompt, Actor.Planner, Actor.Worker], e.Segments.Select(s => s.Actor));
            Assert.Equal(Enumerable.Repeat(1f, plan).Concat(Enumerable.Repeat(0f, mask.GetLength(1) - plan)),
                Enumerable.Range(0, mask.GetLength(1)).Select(t => mask[row, t]));
            Assert.True(worker > 0);
            Assert.Equal(plan, e.PolicyTokenCount);
        }
    }

    [Fact]
    public async Task At_depth_two_the_planner_plans_each_sub_problem_and_the_worker_solves_the_parts_in_batched_rounds()
    {
        // Item 0: the gold plan, then sub-problem 1 split into two parts, sub-problem 2 solved whole. Item 1: the gold
        // plan, then a sub-plan that is not JSON (its sub-problem is solved whole), then a direct one.
        TaskItem[] items = [PlannerWorkerEnvironmentTests.Item(0), PlannerWorkerEnvironmentTests.Item(1)];
        var subs = GoldDecomposition.Of(items[0])!.Subproblems;
        string[] parts = ["What is the first part?", "What is the second part?"];
        var gold = PlannerWorkerEnvironmentTests.GoldWorker(items);
        var worker = new ScriptedWorker(message =>
            message.EndsWith(parts[0], StringComparison.Ordinal) ? "<answer>1</answer>"
            : message.EndsWith(parts[1], StringComparison.Ordinal) ? "<answer>2</answer>"
            : message.Contains("Answers to its parts", StringComparison.Ordinal) && message.Contains(subs[0].Question + "\n", StringComparison.Ordinal)
                && message.Contains("1. " + parts[0] + " Answer: 1", StringComparison.Ordinal) ? $"<answer>{subs[0].Answer}</answer>"
            : gold.Reply(message));
        var strategy = Create(worker, new JsonObject { ["depth"] = 2, ["combine"] = "exact" });
        var policy = new ScriptedPlanner(Tokenizer, e => (e.Item!.Id == items[0].Id, e.Segments.Count(s => s.Actor == Actor.Planner)) switch
        {
            (_, 0) => PlannerWorkerStrategy.GoldPlan(e.Item),
            (true, 1) => """{"should_decompose": true, "subproblems": ["What is the first part?", "What is the second part?"], "plan": "add them"}""",
            (false, 1) => "I would rather not plan this one.",
            _ => PlannerWorkerStrategy.DirectPlan,
        });
        var episodes = await new EpisodeRunner(policy, strategy, new EpisodeLimits(1024)).RunAsync(items, 2, seed: 1);

        // Three planner turns each, the environment's sub-plan requests between them; one worker segment at the end.
        Assert.All(episodes, e => Assert.Equal(
            [Actor.Prompt, Actor.Planner, Actor.Environment, Actor.Planner, Actor.Environment, Actor.Planner, Actor.Worker], e.Segments.Select(s => s.Actor)));
        Assert.Contains("Sub-problem 1 of 2", episodes[0].Segments[2].Text, StringComparison.Ordinal);
        Assert.EndsWith("Problem: " + subs[1].Question + "\n\n", episodes[0].Segments[4].Text, StringComparison.Ordinal);
        Assert.All(episodes, e => Assert.Equal((EpisodeEnd.Terminal, 1.0), (e.End, new Training.Rewards.CorrectnessReward().Score(
            new Training.Rewards.RewardContext(e, PlannerWorkerEnvironmentTests.Task, 1024, strategy.Answers)))));

        // Rounds: the leaves of all four episodes in one call (item 0: two parts + sub-problem 2; item 1: both
        // sub-problems), then the split sub-problems' combines in one; the exact top-level combine needs no call.
        Assert.Equal(2, worker.Calls.Count);
        Assert.Equal(2 * 3 + 2 * 2, worker.Calls[0].Length);
        Assert.Equal(2, worker.Calls[1].Length);
        var split = episodes[0];
        Assert.Equal((1.0, 2.0, 1.0, 0.0, 4.0 * ScriptedWorker.TokensPerReply),
            (split.Stats["decomposed"], split.Stats["subproblems"], split.Stats[PlannerNotes.SubplansDecomposed], split.Stats[PlannerNotes.SubplanParseFailed], split.Stats["worker_tokens"]));
        Assert.StartsWith($"Sub 1.1: 1\nSub 1.2: 2\nSub 1: {subs[0].Answer}\nSub 2: {subs[1].Answer}\nCombined: ", split.Segments[^1].Text, StringComparison.Ordinal);
        var unreadable = episodes[2];
        Assert.Equal((0.0, 1.0), (unreadable.Stats[PlannerNotes.SubplansDecomposed], unreadable.Stats[PlannerNotes.SubplanParseFailed]));

        // Every planner turn is trained, nothing else.
        var mask = CompletionMask.Build(episodes, maskTruncated: false);
        for (var row = 0; row < episodes.Count; row++)
        {
            var e = episodes[row];
            var expected = e.Completion.SelectMany(s => Enumerable.Repeat(s.Actor == Actor.Planner ? 1f : 0f, s.TokenIds?.Count ?? 0)).ToArray();
            Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(t => mask[row, t]));
            Assert.Equal(e.Segments.Where(s => s.Actor == Actor.Planner).Sum(s => s.TokenIds!.Count), e.PolicyTokenCount);
        }
    }

    /// <summary>A token policy that writes a scripted plan per episode (the trained planner's stand-in for mask checks).</summary>
    private sealed class ScriptedPlanner(ITokenizer tokenizer, Func<Episode, string> plan) : IEpisodePolicy
    {
        public bool UsesTokens => true;

        public Segment Prompt(string message) => new(Actor.Prompt, message, tokenizer.Encode(message));

        public IReadOnlyList<int>? Encode(string text) => tokenizer.Encode(text);

        public Task<IReadOnlyList<PolicyTurn>> WriteAsync(IReadOnlyList<Episode> episodes, int samples, IReadOnlyList<TurnSpec> turns, IReadOnlyList<int> budgets,
            long? seed, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<PolicyTurn>>(episodes.SelectMany(e => Enumerable.Repeat(Turn(plan(e)), samples)).ToArray());

        private PolicyTurn Turn(string text)
        {
            var ids = tokenizer.Encode(text);
            return new PolicyTurn(text, ids, TurnEnd.EndOfSequence, ids.Length);
        }
    }
}
