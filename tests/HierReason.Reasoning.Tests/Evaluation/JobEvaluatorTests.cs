using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Backends;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Core.Tasks;
using HierReason.Engine.Inference;
using HierReason.Reasoning.Evaluation;
using HierReason.Reasoning.Strategies.PlannerWorker;
using HierReason.Reasoning.Tests.Strategies.PlannerWorker;

namespace HierReason.Reasoning.Tests.Evaluation;

public sealed class JobEvaluatorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hierreason-eval-" + Guid.NewGuid().ToString("N")[..10]);

    public JobEvaluatorTests() => Directory.CreateDirectory(_dir);

    private EvalJob Job(int n, string? chatTemplate = null, string? path = null, string task = "leg_counting", StrategySpec? strategy = null, int maxTokens = 8, int samples = 1) =>
        new("k" + n, task, (JsonObject)JsonSerializer.SerializeToNode(TaskRegistry.Default.Get(task).Levels[0], TaskRegistry.Default.Get(task).ConfigType, HierJson.Options)!,
            0, "test", 7, n,
            new ModelSpec("m", "local", path, null, null, chatTemplate, GenerationSpec.Default with { MaxTokens = maxTokens, Samples = samples }, null, null, null, 1, "h"),
            "cpu:0", Path.Combine(_dir, "r.json"), Path.Combine(_dir, "r.jsonl"), BatchSize: 3, Strategy: strategy);

    private static StrategySpec Calculator(int maxCalls = 4) => new("calculator", new JsonObject { ["max_calls"] = maxCalls });

    [Fact]
    public async Task A_calculator_job_runs_tool_turns_over_text_and_logs_every_segment_with_its_actor()
    {
        // A text-only backend that first asks the calculator for the question's expression, then answers with the result.
        var dataset = TaskDataset.Create(TaskRegistry.Default.Get("basic_arithmetic"), Split.Test, 7, 4, null, 0);
        await using var backend = new ScriptedBackend(prompt =>
        {
            var result = System.Text.RegularExpressions.Regex.Match(prompt, "<result>(.*?)</result>$");
            if (result.Success) return $" so <answer>{result.Groups[1].Value}</answer>";
            var expression = dataset.Select(i => i.Question).First(q => prompt.EndsWith(q, StringComparison.Ordinal));
            // The tool turn, and text past </calc> that the policy must cut off.
            return $"<calc>{System.Text.RegularExpressions.Regex.Match(expression, @"[-0-9(][-0-9 +*/()]*[0-9)]").Value}</calc> trailing";
        });

        var result = await new JobEvaluator(backend, TaskRegistry.Default).RunAsync(Job(4, chatTemplate: "plain", task: "basic_arithmetic", strategy: Calculator(), maxTokens: 64));

        Assert.Equal(("calculator", 1.0), (result.Strategy, result.Accuracy));
        Assert.Equal(2 * 2, backend.Calls); // 2 batches (3 + 1 items) × 2 rounds, each round one call for the whole batch
        var line = JsonNode.Parse(File.ReadLines(Path.Combine(_dir, "r.jsonl")).First())!.AsObject();
        var segments = line["segments"]!.AsArray().Select(s => ((string)s!["actor"]!, (string)s["text"]!)).ToArray();
        Assert.Equal(["prompt", "policy", "environment", "policy"], segments.Select(s => s.Item1));
        Assert.EndsWith("</calc>", segments[1].Item2);
        Assert.Matches("^<result>-?[0-9/]+</result>$", segments[2].Item2);
        Assert.Equal(1.0, (double)line["stats"]!["calls"]!);
        Assert.Contains(CalculatorToolHint, segments[0].Item2);
    }

    private const string CalculatorToolHint = "<calc>expression</calc>";

    [Fact]
    public async Task A_thinker_searcher_job_runs_the_extractive_searcher_and_logs_its_documents_beside_the_summary()
    {
        // A text-only thinker that asks its question, then answers with the gold answer only if the summary it read names it.
        var dataset = TaskDataset.Create(TaskRegistry.Default.Get("multi_hop_lookup"), Split.Test, 7, 4, null, 0);
        TaskItem[] items = [.. dataset];
        await using var backend = new ScriptedBackend(prompt =>
        {
            var item = items.First(i => prompt.Contains(i.Question, StringComparison.Ordinal));
            if (!prompt.EndsWith("</information>\n\n", StringComparison.Ordinal)) return $"<search>{item.Question}</search> trailing";
            return $"<answer>{(prompt[prompt.LastIndexOf("<information>", StringComparison.Ordinal)..].Contains(item.Answer, StringComparison.Ordinal) ? item.Answer : "unknown")}</answer>";
        });
        var job = Job(4, chatTemplate: "plain", task: "multi_hop_lookup", strategy: new StrategySpec("thinker_searcher", new JsonObject { ["searcher"] = "extractive" }), maxTokens: 256);

        var result = await new JobEvaluator(backend, TaskRegistry.Default).RunAsync(job);

        Assert.Equal(("thinker_searcher", 1.0), (result.Strategy, result.Accuracy));
        var line = JsonNode.Parse(File.ReadLines(Path.Combine(_dir, "r.jsonl")).First())!.AsObject();
        var segments = line["segments"]!.AsArray();
        Assert.Equal(["prompt", "policy", "searcher", "policy"], segments.Select(s => (string)s!["actor"]!));
        Assert.EndsWith("</search>", (string)segments[1]!["text"]!, StringComparison.Ordinal);
        Assert.Equal(((MultiHopLookupMetadata)items[0].Metadata).GoldDocIds[0], (string)segments[2]!["metadata"]!["doc_ids"]!);
        Assert.Equal((1.0, 1.0, 1.0), ((double)line["stats"]!["searches"]!, (double)line["stats"]!["gold_docs_retrieved"]!, (double)line["stats"]!["valid_action_rate"]!));
    }

    [Fact]
    public async Task A_planner_worker_job_runs_the_plan_through_the_frozen_worker_in_two_batched_calls_per_batch()
    {
        var dataset = TaskDataset.Create(TaskRegistry.Default.Get("multi_step_arithmetic"), Split.Test, 7, 4, null, 0);
        TaskItem[] items = [.. dataset];
        await using var planner = new ScriptedBackend(prompt => PlannerWorkerStrategy.GoldPlan(items.First(i => prompt.EndsWith(i.Question, StringComparison.Ordinal))));
        var worker = PlannerWorkerEnvironmentTests.GoldWorker(items);
        var job = Job(4, chatTemplate: "plain", task: "multi_step_arithmetic", strategy: new StrategySpec("planner_worker", new JsonObject { ["combine"] = "model" }), maxTokens: 512);

        var result = await new JobEvaluator(planner, TaskRegistry.Default, roleModels: new Dictionary<string, IModelBackend> { ["worker"] = worker }).RunAsync(job);

        Assert.Equal(("planner_worker", 1.0), (result.Strategy, result.Accuracy));
        Assert.Equal(2, planner.Calls);
        Assert.Equal(2 * 2, worker.Calls.Count); // 2 batches (3 + 1 items) × (sub-problems, combines)
        var line = JsonNode.Parse(File.ReadLines(Path.Combine(_dir, "r.jsonl")).First())!.AsObject();
        Assert.Equal(["prompt", "planner", "worker"], line["segments"]!.AsArray().Select(s => (string)s!["actor"]!));
        Assert.Equal((1.0, 0.0), ((double)line["stats"]!["decomposed"]!, (double)line["stats"]!["parse_failed"]!));
        // The worker segment's metadata (its sub-questions and sub-answers) is kept; segments without any carry no field.
        Assert.NotEmpty(line["segments"]![2]!["metadata"]!.AsObject());
        Assert.False(line["segments"]![0]!.AsObject().ContainsKey("metadata"));
    }

    [Fact]
    public async Task A_gold_plan_job_puts_each_items_gold_plan_in_the_planner_segment_and_never_calls_the_planner_model()
    {
        var dataset = TaskDataset.Create(TaskRegistry.Default.Get("multi_step_arithmetic"), Split.Test, 7, 4, null, 0);
        TaskItem[] items = [.. dataset];
        await using var planner = new ScriptedBackend(_ => throw new InvalidOperationException("a gold plan runs no planner model"));
        // The worker solves every gold sub-problem except item 1's first, which it gets one too high.
        var wrong = GoldDecomposition.Of(items[1])!.Subproblems[0];
        var gold = PlannerWorkerEnvironmentTests.GoldWorker(items);
        var worker = new ScriptedWorker(message => message.EndsWith(wrong.Question, StringComparison.Ordinal) ? $"<answer>{wrong.Answer + 1}</answer>" : gold.Reply(message));
        var strategy = new StrategySpec("planner_worker", new JsonObject { ["combine"] = "exact", ["plan"] = "gold" });
        var job = Job(4, task: "multi_step_arithmetic", strategy: strategy, maxTokens: 16);

        var result = await new JobEvaluator(planner, TaskRegistry.Default, roleModels: new Dictionary<string, IModelBackend> { ["worker"] = worker }).RunAsync(job);

        Assert.Equal(0, planner.Calls);
        Assert.Equal((0.75, 0.0), (result.Accuracy, result.MeanTokens)); // item 1's exact combine uses the wrong sub-answer; the gold plan costs no planner tokens
        var lines = File.ReadLines(Path.Combine(_dir, "r.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        for (var i = 0; i < items.Length; i++)
        {
            var segments = lines[i]["segments"]!.AsArray();
            Assert.Equal(["prompt", "planner", "worker"], segments.Select(s => (string)s!["actor"]!));
            Assert.Equal(PlannerWorkerStrategy.GoldPlan(items[i]), (string)segments[1]!["text"]!);
        }
        var subproblems = items.Sum(i => GoldDecomposition.Of(i)!.Subproblems.Count);
        Assert.Equal(2 * 4, subproblems); // level 0: two sub-problems per story
        var stats = result.Stats!;
        Assert.Equal(1.0, stats.Mean("decomposed"));
        Assert.Equal(2.0, stats.Mean("subproblems"));
        Assert.Equal(2.0, stats.Mean("gold_subproblems"));
        Assert.Equal(7 / 4.0, stats.Mean("gold_subproblems_solved"));
        Assert.Equal(2 * ScriptedWorker.TokensPerReply, stats.Mean("worker_tokens")); // exact combine: no combine call
        Assert.Equal(0.0, stats.Mean("truncated"));
    }

    [Fact]
    public async Task An_answer_only_the_environment_wrote_scores_zero_for_the_policy()
    {
        // The policy asks the tool for the gold answer's expression but never answers itself; the tool's text holds no <answer>,
        // and a tool that echoed one would still not count (the answer source is the policy).
        var dataset = TaskDataset.Create(TaskRegistry.Default.Get("basic_arithmetic"), Split.Test, 7, 2, null, 0);
        await using var backend = new ScriptedBackend(prompt => prompt.Contains("<result>", StringComparison.Ordinal) ? " done" : "<calc>1+1</calc><answer>2</answer>");
        var result = await new JobEvaluator(backend, TaskRegistry.Default).RunAsync(Job(2, chatTemplate: "plain", task: "basic_arithmetic", strategy: Calculator(), maxTokens: 64));
        // The tool call ends the turn at </calc>, so the answer written after it was cut away and the policy never answered.
        Assert.Equal(0.0, result.Accuracy);
        Assert.All(File.ReadAllLines(Path.Combine(_dir, "r.jsonl")), l => Assert.Null(JsonNode.Parse(l)!["extracted"]));
    }

    [Fact]
    public async Task A_local_calculator_job_keeps_transcripts_and_stays_in_its_token_budget()
    {
        var model = Path.Combine(_dir, "tiny");
        LocalModel.InitTiny(model, 1);
        var job = Job(3, path: model, task: "basic_arithmetic", strategy: Calculator(maxCalls: 1), maxTokens: 12);
        await using var backend = BackendFactory.Create(job.Model, "cpu:0");
        var result = await new JobEvaluator(backend, TaskRegistry.Default).RunAsync(job);

        Assert.Equal(("calculator", 3), (result.Strategy, result.N));
        Assert.InRange(result.MeanTokens, 1, 12);
        var lines = File.ReadAllLines(Path.Combine(_dir, "r.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.All(lines, l => Assert.Equal("prompt", (string)l["segments"]![0]!["actor"]!));
    }

    [Fact]
    public async Task Scores_extracted_answers_with_the_task_verifier_and_pools_mean_and_bessel_stderr()
    {
        // A backend that answers items 0, 2, 4 correctly (as "<answer>gold</answer>") and the rest wrongly, without tags.
        var dataset = TaskDataset.Create(TaskRegistry.Default.Get("leg_counting"), Split.Test, 7, 5, null, 0);
        var gold = dataset.ToDictionary(i => Core.Prompts.TaskPrompt.For(i.Question), i => i.Answer);
        await using var backend = new ScriptedBackend(prompt => gold.Keys.ToList().IndexOf(prompt) % 2 == 0 ? $"so <answer>{gold[prompt]}</answer>" : "no idea");

        var result = await new JobEvaluator(backend, TaskRegistry.Default).RunAsync(Job(5, chatTemplate: "plain"));

        Assert.Equal((JobResult.Succeeded, 5, 3.0), (result.Status, result.N, result.ScoreSum));
        Assert.Equal(0.6, result.Accuracy, 12);
        Assert.Equal(Math.Sqrt(0.3 / 5), result.StdErr, 12); // s² = (3 − 9/5)/4 = 0.3
        Assert.Equal(0.6, result.FormatRate, 12);
        var lines = File.ReadAllLines(Path.Combine(_dir, "r.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(dataset.Select(i => i.Id), lines.Select(l => (string)l["item_id"]!));
        Assert.Equal(gold[Core.Prompts.TaskPrompt.For(dataset[0].Question)], (string)lines[0]["extracted"]!);
        Assert.Null(lines[1]["extracted"]);
        Assert.Equal([1.0, 0, 1, 0, 1], lines.Select(l => (double)l["score"]!));
        Assert.Equal(2, backend.Calls); // batches of 3: 3 + 2
        Assert.Equal(result, JsonSerializer.Deserialize<JobResult>(File.ReadAllText(Path.Combine(_dir, "r.json")), HierJson.Options));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public async Task K_samples_per_item_report_pass_maj_and_one_sample_accuracy_beside_the_first_sample_accuracy()
    {
        // Four items, three samples each (W = a wrong answer, - = no answer):
        //   item 0: gold W W → pass 1, majority W → 0, mean 1/3;  item 1: W gold gold → 1, 1, 2/3;
        //   item 2: - - gold → 1, gold (missing answers are no majority) → 1, 1/3;  item 3: W W W → 0, 0, 0.
        // First samples: gold, W, -, W → accuracy 1/4; pass@3 3/4, maj@3 2/4, one sample (1/3 + 2/3 + 1/3) / 4 = 1/3.
        var dataset = TaskDataset.Create(TaskRegistry.Default.Get("leg_counting"), Split.Test, 7, 4, null, 0);
        var prompts = dataset.Select(i => Core.Prompts.TaskPrompt.For(i.Question)).ToList();
        string[][] script = [["gold", "W", "W"], ["W", "gold", "gold"], ["-", "-", "gold"], ["W", "W", "W"]];
        await using var backend = new ScriptedBackend((prompt, sample) =>
        {
            var item = prompts.IndexOf(prompt);
            return script[item][sample] switch { "gold" => $"<answer>{dataset[item].Answer}</answer>", "W" => "<answer>999</answer>", _ => "no idea" };
        });

        var result = await new JobEvaluator(backend, TaskRegistry.Default).RunAsync(Job(4, chatTemplate: "plain", samples: 3));

        Assert.Equal((4, 3, 1.0), (result.N, result.SamplesPerItem, result.ScoreSum));
        Assert.Equal(0.25, result.Accuracy, 12);
        Assert.Equal((0.75, 0.5), (result.PassAtK, result.MajAtK));
        Assert.Equal(1.0 / 3, result.SampleAccuracy!.Value, 12);
        // Unbiased pass@j with c = 1, 2, 1, 0 right of 3: j = 1 → c/3; j = 2 → 1 − C(3 − c, 2)/C(3, 2) = 2/3, 1, 2/3, 0; j = 3 → c > 0.
        Assert.Equal([1, 2, 3], result.PassAt!.Keys);
        Assert.Equal(1.0 / 3, result.PassAt[1], 12);
        Assert.Equal(7.0 / 12, result.PassAt[2], 12);
        Assert.Equal(0.75, result.PassAt[3], 12);
        Assert.Equal(10.0 / 12, result.FormatRate, 12); // every sample counts: item 2 wrote two without a tag
        // Batch size 3 holds one whole group of 3: one request per item, each for 3 samples.
        Assert.Equal([3, 3, 3, 3], backend.SamplesAsked);
        // Diagnostics of the first samples: gold₀, 999, none, 999 → 3 distinct, the most common on 2 of 4.
        Assert.Equal((3, 0.5), (result.DistinctAnswers, result.TopAnswerShare));
        var task = TaskRegistry.Default.Get("leg_counting");
        var common = dataset.GroupBy(i => i.Answer).OrderByDescending(g => g.Count()).First().Key;
        Assert.Equal(dataset.Select(i => i.Answer).Distinct().Count(), result.GoldDistinctAnswers);
        Assert.Equal(dataset.Average(i => task.Score(common, i)), result.ConstantAnswerAccuracy!.Value, 12);

        // One line per sample, item-major, each with its index.
        var lines = File.ReadAllLines(Path.Combine(_dir, "r.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(12, lines.Count);
        Assert.Equal(dataset.SelectMany(i => Enumerable.Repeat(i.Id, 3)), lines.Select(l => (string)l["item_id"]!));
        Assert.Equal([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], lines.Select(l => (int)l["sample"]!));
        Assert.Equal([1.0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0], lines.Select(l => (double)l["score"]!));
        Assert.True(Core.Runs.SampleLog.IsComplete(Path.Combine(_dir, "r.jsonl"), result));
        Assert.Equal(result, JsonSerializer.Deserialize<JobResult>(File.ReadAllText(Path.Combine(_dir, "r.json")), HierJson.Options));
    }

    [Fact]
    public async Task One_sample_per_item_writes_no_sampled_figures_but_the_answer_diagnostics()
    {
        await using var backend = new ScriptedBackend(_ => "<answer>4</answer>");
        var result = await new JobEvaluator(backend, TaskRegistry.Default).RunAsync(Job(3, chatTemplate: "plain"));
        var json = File.ReadAllText(Path.Combine(_dir, "r.json"));
        Assert.DoesNotContain("pass_at_k", json);
        Assert.DoesNotContain("samples_per_item", json);
        Assert.Contains("\"distinct_answers\": 1", json);
        Assert.Equal((1, 1.0), (result.DistinctAnswers, result.TopAnswerShare));
        Assert.Equal([1], backend.SamplesAsked.Distinct());
    }

    [Fact]
    public void Summary_clusters_the_standard_error_by_prompt_and_records_the_distinct_questions()
    {
        static SampleRecord Sample(string hash, double score) => new("id", hash, "", null, score, true, 3, 1, "stop");
        // Prompts p1 ×2 (1, 1), p2 (0), p3 (1): μ 0.75, clustered V = 3/2 · 0.875 / 16 (hand-computed in QuestionSumsTests).
        var result = JobEvaluator.Summarize(Job(4), [Sample("p1", 1), Sample("p2", 0), Sample("p1", 1), Sample("p3", 1)], 1, 1);
        Assert.Equal((4, 0.75, 3.0, 3.0), (result.N, result.Accuracy, result.ScoreSum, result.ScoreSquareSum));
        Assert.Equal(Math.Sqrt(0.08203125), result.StdErr, 12);
        Assert.Equal(3L, result.Questions);
        Assert.Equal(result.StdErr, result.Sums().StdErr, 12);
        // A result file from before the field existed reads as distinct items: Bessel's s/√n.
        Assert.Equal(0.25, (result with { Questions = null }).Sums().StdErr, 12);
    }

    [Fact]
    public async Task Local_tiny_model_writes_one_sample_line_per_item_and_a_result()
    {
        var model = Path.Combine(_dir, "tiny");
        LocalModel.InitTiny(model, 1);
        await using var backend = BackendFactory.Create(Job(4, path: model).Model, "cpu:0");

        var result = await new JobEvaluator(backend, TaskRegistry.Default).RunAsync(Job(4, path: model));

        Assert.Equal(4, result.N);
        Assert.InRange(result.MeanTokens, 1, 8); // max_tokens 8
        var lines = File.ReadAllLines(Path.Combine(_dir, "r.jsonl"));
        Assert.Equal(4, lines.Length);
        Assert.All(lines, l => Assert.Matches("\"prompt_hash\":\"[0-9a-f]{16}\"", l));
        // A vanilla job's samples stay as they were: no transcript, strategy vanilla.
        Assert.All(lines, l => Assert.DoesNotContain("\"segments\"", l));
        Assert.Equal("vanilla", result.Strategy);
        Assert.True(File.Exists(Path.Combine(_dir, "r.json")));
    }

    [Fact]
    public async Task Samples_temp_file_is_this_process_own_so_another_writer_of_the_same_job_is_left_alone()
    {
        // Another live writer of the same job (an old worker, or one on another node) holds the temp name of the
        // samples file as it was before names carried pid and a random suffix: this run must neither fail on it nor touch it.
        var theirs = Path.Combine(_dir, "r.jsonl.tmp");
        await using (var held = new FileStream(theirs, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            held.Write("half a line"u8);
            await using var backend = new ScriptedBackend(_ => "<answer>4</answer>");

            var result = await new JobEvaluator(backend, TaskRegistry.Default).RunAsync(Job(2, chatTemplate: "plain"));

            Assert.Equal(2, result.N);
            Assert.Equal(2, File.ReadAllLines(Path.Combine(_dir, "r.jsonl")).Length);
        }
        Assert.Equal("half a line", File.ReadAllText(theirs));
        Assert.Equal([theirs], Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Missing_model_folder_names_the_train_command()
    {
        var spec = Job(1).Model with { Path = Path.Combine(_dir, "nope"), Train = "tasks/experiments/tiny-sft.json" };
        var e = Assert.Throws<Core.HierReasonException>(() => BackendFactory.Create(spec, "cpu:0"));
        Assert.Contains("model folder missing", e.Message);
        Assert.Contains("hierreason train tasks/experiments/tiny-sft.json", e.Message);
        Assert.Equal("cpu", BackendFactory.EngineDevice("cpu:3"));
        Assert.Equal("cpu", BackendFactory.EngineDevice(""));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>Answers each prompt with a scripted text per sample (the verifier's side is what is under test).</summary>
    private sealed class ScriptedBackend(Func<string, int, string> answer) : IModelBackend
    {
        public ScriptedBackend(Func<string, string> answer) : this((prompt, _) => answer(prompt)) { }

        public int Calls { get; private set; }

        /// <summary>The samples per prompt each call asked for.</summary>
        public List<int> SamplesAsked { get; } = [];
        public string Name => "scripted";
        public BackendCapabilities Capabilities => new(false, false, null);

        public Task<IReadOnlyList<IReadOnlyList<Completion>>> CompleteAsync(IReadOnlyList<string> prompts, SamplingSettings settings, CancellationToken cancellationToken = default)
        {
            Calls++;
            SamplesAsked.Add(settings.N);
            return Task.FromResult<IReadOnlyList<IReadOnlyList<Completion>>>(
                prompts.Select(p => (IReadOnlyList<Completion>)Enumerable.Range(0, Math.Max(1, settings.N)).Select(s => new Completion(answer(p, s), "stop", 10, 4)).ToList()).ToList());
        }

        public Task<IReadOnlyList<IReadOnlyList<Completion>>> ChatAsync(IReadOnlyList<IReadOnlyList<Message>> conversations, SamplingSettings settings, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("a plain-template job must not chat");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
