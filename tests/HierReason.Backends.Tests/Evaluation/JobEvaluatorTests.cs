using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Backends.Evaluation;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Core.Tasks;
using HierReason.Engine.Inference;

namespace HierReason.Backends.Tests.Evaluation;

public sealed class JobEvaluatorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hierreason-eval-" + Guid.NewGuid().ToString("N")[..10]);

    public JobEvaluatorTests() => Directory.CreateDirectory(_dir);

    private EvalJob Job(int n, string? chatTemplate = null, string? path = null) =>
        new("k" + n, "leg_counting", (JsonObject)JsonSerializer.SerializeToNode(TaskRegistry.Default.Get("leg_counting").Levels[0], TaskRegistry.Default.Get("leg_counting").ConfigType, HierJson.Options)!,
            0, "test", 7, n,
            new ModelSpec("m", "local", path, null, null, chatTemplate, GenerationSpec.Default with { MaxTokens = 8 }, null, null, null, 1, "h"),
            "cpu:0", Path.Combine(_dir, "r.json"), Path.Combine(_dir, "r.jsonl"), BatchSize: 3);

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

    /// <summary>Answers each prompt with a scripted text (the verifier's side is what is under test).</summary>
    private sealed class ScriptedBackend(Func<string, string> answer) : IModelBackend
    {
        public int Calls { get; private set; }
        public string Name => "scripted";
        public BackendCapabilities Capabilities => new(false, false, null);

        public Task<IReadOnlyList<IReadOnlyList<Completion>>> CompleteAsync(IReadOnlyList<string> prompts, SamplingSettings settings, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromResult<IReadOnlyList<IReadOnlyList<Completion>>>(
                prompts.Select(p => (IReadOnlyList<Completion>)[new Completion(answer(p), "stop", 10, 4)]).ToList());
        }

        public Task<IReadOnlyList<IReadOnlyList<Completion>>> ChatAsync(IReadOnlyList<IReadOnlyList<Message>> conversations, SamplingSettings settings, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("a plain-template job must not chat");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
