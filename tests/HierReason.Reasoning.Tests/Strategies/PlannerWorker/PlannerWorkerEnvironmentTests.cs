using HierReason.Core.Episodes;
using HierReason.Core.Tasks;
using HierReason.Reasoning.Strategies.PlannerWorker;
using HierReason.Training.Rewards;

namespace HierReason.Reasoning.Tests.Strategies.PlannerWorker;

public class PlannerWorkerEnvironmentTests
{
    internal static readonly IReasoningTask Task = TaskRegistry.Default.Get("multi_step_arithmetic");

    internal static TaskItem Item(int index) => Task.Generate(Task.Levels[0], Split.Test, 0, index);

    /// <summary>A worker that is exact on the items' gold sub-problems, their whole questions and their combines.</summary>
    internal static ScriptedWorker GoldWorker(params TaskItem[] items) => new(message =>
    {
        foreach (var item in items)
        {
            if (message.Contains("Answers to its parts", StringComparison.Ordinal) && message.Contains(item.Question, StringComparison.Ordinal))
                return $"So the total is <answer>{item.Answer}</answer>";
            if (message.EndsWith(item.Question, StringComparison.Ordinal)) return $"<answer>{item.Answer}</answer>";
            foreach (var sub in GoldDecomposition.Of(item)!.Subproblems)
                if (message.EndsWith(sub.Question, StringComparison.Ordinal)) return $"<answer>{sub.Answer}</answer>";
        }
        return "I do not know";
    });

    private static Episode Planned(TaskItem item, string plan) =>
        new Episode(new Segment(Actor.Prompt, PlannerWorkerStrategy.Prompt(item.Question)), item, Actor.Planner).Append(new Segment(Actor.Planner, plan));

    private static PlannerWorkerEnvironment Environment(ScriptedWorker worker, string combine = "model", int maxSubproblems = 8) =>
        new(worker, PlannerWorkerOptions.Default with { Combine = combine, MaxSubproblems = maxSubproblems });

    private static Episode Apply(Episode episode, EnvironmentStep step)
    {
        var next = episode.AddStats(step.Stats);
        return (step.Segment is { } segment ? next.Append(segment) : next).Finish(EpisodeEnd.Terminal);
    }

    private static double Correctness(Episode episode) => new CorrectnessReward().Score(new RewardContext(episode, Task, 256, AnswerSource.Environment));

    [Fact]
    public async Task One_batched_call_solves_every_sub_problem_and_direct_question_and_one_more_combines()
    {
        TaskItem[] items = [Item(0), Item(1), Item(2)];
        var worker = GoldWorker(items);
        Episode[] episodes =
        [
            Planned(items[0], PlannerWorkerStrategy.GoldPlan(items[0])),
            Planned(items[1], """{"should_decompose": false, "subproblems": [], "plan": "direct"}"""),
            Planned(items[2], "I will not write JSON <answer>" + items[2].Answer + "</answer>"),
        ];
        var steps = await Environment(worker).NextAsync(episodes, default);

        var subs = GoldDecomposition.Of(items[0])!.Subproblems;
        Assert.Equal(2, worker.Calls.Count);
        Assert.Equal(subs.Count + 1, worker.Calls[0].Length);
        Assert.Single(worker.Calls[1]);
        Assert.All(worker.Settings, s => Assert.Equal((0.0, 256, 1), (s.Temperature, s.MaxTokens, s.N)));

        var decomposed = Apply(episodes[0], steps[0]!);
        Assert.True(steps[0]!.Terminal);
        Assert.Equal(Actor.Worker, steps[0]!.Segment!.Actor);
        Assert.Equal(items[0].Answer, decomposed.Answer(AnswerSource.Environment));
        Assert.Equal(1.0, Correctness(decomposed));
        Assert.Equal((1.0, subs.Count, (subs.Count + 1.0) * ScriptedWorker.TokensPerReply, 0.0),
            (decomposed.Stats["decomposed"], decomposed.Stats["subproblems"], decomposed.Stats["worker_tokens"], decomposed.Stats["parse_failed"]));
        Assert.Equal(subs.Select(s => s.Question), PlannerNotes.SubQuestions(decomposed));
        Assert.Equal(subs.Select(s => s.Answer.ToString(System.Globalization.CultureInfo.InvariantCulture)), PlannerNotes.SubAnswers(decomposed));
        Assert.StartsWith("Sub 1: " + subs[0].Answer + "\nSub 2: ", steps[0]!.Segment!.Text, StringComparison.Ordinal);

        var direct = Apply(episodes[1], steps[1]!);
        Assert.Equal(1.0, Correctness(direct));
        Assert.Equal((0.0, 0.0, 1.0 * ScriptedWorker.TokensPerReply), (direct.Stats["decomposed"], direct.Stats["subproblems"], direct.Stats["worker_tokens"]));
        Assert.Empty(PlannerNotes.SubQuestions(direct));

        Assert.True(steps[2]!.Terminal);
        Assert.Null(steps[2]!.Segment);
        var failed = Apply(episodes[2], steps[2]!);
        Assert.Equal((1.0, 0.0, 0.0), (failed.Stats["parse_failed"], failed.Stats["decomposed"], failed.Stats["worker_tokens"]));
        Assert.Equal(0.0, Correctness(failed));
    }

    [Fact]
    public async Task A_batch_of_parse_failures_never_calls_the_worker()
    {
        var worker = GoldWorker(Item(0));
        var steps = await Environment(worker).NextAsync([Planned(Item(0), "no plan"), Planned(Item(1), "{\"should_decompose\": tru")], default);
        Assert.Empty(worker.Calls);
        Assert.All(steps, s => Assert.Equal(1.0, s!.Stats!["parse_failed"]));
    }

    [Fact]
    public async Task An_answer_the_planner_wrote_earns_nothing()
    {
        var item = Item(0);
        var wrong = new ScriptedWorker(_ => "<answer>0</answer>");
        var gold = $"<answer>{item.Answer}</answer>";
        Episode[] episodes =
        [
            Planned(item, $$"""{"should_decompose": false, "subproblems": [], "plan": "{{gold}}"} {{gold}}"""),
            Planned(item, $$"""{"should_decompose": true, "subproblems": ["{{gold}} What is 1 + 1?", "What is {{gold}}"], "plan": "{{gold}}"}"""),
            Planned(item, gold),
        ];
        var steps = await Environment(wrong).NextAsync(episodes, default);
        var finished = episodes.Select((e, i) => Apply(e, steps[i]!)).ToArray();
        Assert.All(finished, e => Assert.NotEqual(item.Answer, e.Answer(AnswerSource.Environment)));
        Assert.All(finished, e => Assert.Equal(0.0, Correctness(e)));
        // The planner's text reaches the worker's prompt but never the episode's worker segment.
        Assert.All(finished.SelectMany(e => e.EnvironmentSegments), s => Assert.DoesNotContain(item.Answer + "</answer>", s.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_exact_combine_uses_the_items_rule_and_needs_no_second_call()
    {
        TaskItem[] items = [Item(0), Item(1)];
        var worker = GoldWorker(items);
        var steps = await Environment(worker, "exact").NextAsync(items.Select(i => Planned(i, PlannerWorkerStrategy.GoldPlan(i))).ToArray(), default);
        Assert.Single(worker.Calls);
        for (var i = 0; i < items.Length; i++)
        {
            var episode = Apply(Planned(items[i], ""), steps[i]!);
            Assert.Equal(items[i].Answer, episode.Answer(AnswerSource.Environment));
            Assert.Equal(1.0, episode.Stats["exact_combine"]);
            Assert.False(episode.Stats.ContainsKey("combine_fallback"));
            Assert.Equal(2.0 * ScriptedWorker.TokensPerReply, episode.Stats["worker_tokens"]);
        }
    }

    [Fact]
    public async Task Without_a_rule_or_an_integer_sub_answer_the_exact_combine_falls_back_to_the_worker()
    {
        var item = Item(0);
        var noRule = TaskRegistry.Default.Get("basic_arithmetic").Generate(TaskRegistry.Default.Get("basic_arithmetic").DefaultConfig, Split.Test, 0, 0);
        var worker = new ScriptedWorker(m => m.Contains("Answers to its parts", StringComparison.Ordinal) ? "<answer>5</answer>" : "<answer>two</answer>");
        const string plan = """{"should_decompose": true, "subproblems": ["What is 1 + 1?", "What is 2 + 2?"], "plan": "add"}""";
        var steps = await Environment(worker, "exact").NextAsync([Planned(item, plan), Planned(noRule, plan)], default);
        Assert.Equal([4, 2], worker.Calls.Select(c => c.Length)); // four sub-problems, then both combines
        Assert.All(steps, s => Assert.Equal((1.0, false), (s!.Stats!["combine_fallback"], s.Stats.ContainsKey("exact_combine"))));
        Assert.EndsWith("Combined: <answer>5</answer>", steps[0]!.Segment!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sub_problems_beyond_the_limit_are_not_solved()
    {
        var worker = new ScriptedWorker(_ => "<answer>1</answer>");
        const string plan = """{"should_decompose": true, "subproblems": ["a", "b", "c", "d"], "plan": "add"}""";
        var steps = await Environment(worker, maxSubproblems: 3).NextAsync([Planned(Item(0), plan)], default);
        Assert.Equal(3, worker.Calls[0].Length);
        Assert.Equal(3.0, steps[0]!.Stats!["subproblems"]);
        Assert.Contains("1. a Answer: 1\n2. b Answer: 1\n3. c Answer: 1", worker.Calls[1][0], StringComparison.Ordinal);
    }
}
