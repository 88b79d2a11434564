using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Backends.Serving;
using HierReason.Core.Episodes;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Core.Tasks;
using HierReason.Reasoning.Evaluation;
using HierReason.Reasoning.Strategies.PlannerWorker;

namespace HierReason.Backends.Tests.Serving;

/// <summary>
/// The planner_worker strategy with its frozen worker served by <c>hierreason serve</c>: the worker role goes through
/// <see cref="BackendFactory"/>'s openai backend over loopback and writes the same transcripts, hence the same scores, as
/// the same model loaded in-process. The planner writes each item's gold plan, so every sub-problem really reaches the worker.
/// </summary>
public sealed class ServedWorkerTests : IAsyncLifetime
{
    private const string Task = "multi_step_arithmetic";
    private const int Items = 3;
    private const long Seed = 7;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hierreason-served-worker-" + Guid.NewGuid().ToString("N")[..10]);
    private OpenAiServer _server = null!;

    private string WorkerDir => Path.Combine(_dir, "worker");

    public async Task InitializeAsync()
    {
        PrintableTinyModel.Init(WorkerDir);
        _server = await OpenAiServer.StartAsync(new ServeOptions { ModelDir = WorkerDir, ServedModelName = "worker", Port = 0, Threads = 1 });
    }

    [Fact]
    public async Task A_served_worker_writes_the_same_planner_worker_transcripts_and_scores_as_the_worker_in_process()
    {
        var generation = GenerationSpec.Default with { MaxTokens = 64 };
        var served = new ModelSpec("worker-served", "openai", null, null, null, null, generation, _server.BaseUrl + "/v1", "worker", null, 4, "remote");
        var local = new ModelSpec("worker-local", "local", WorkerDir, null, null, null, generation, null, null, null, 1, "h");

        var (viaServer, servedWorker) = await RunAsync("served", served);
        var (inProcess, localWorker) = await RunAsync("local", local);

        // The gold plans split every item: two sub-problems each, then the model's combine, all asked of the worker.
        Assert.Equal(Items * 3, servedWorker.Count);
        var servedLines = Samples("served");
        Assert.All(servedLines, s => Assert.Equal((1.0, 2.0), (s.Stats![PlannerNotes.Decomposed], s.Stats[PlannerNotes.Subproblems])));
        // The worker's replies vary with the question (8 distinct of 9), so equal replies mean each prompt was decoded alike.
        Assert.True(servedWorker.Select(e => e.Reply).Distinct().Count() > servedWorker.Count / 2);
        Assert.Equal(localWorker, servedWorker);

        var localLines = Samples("local");
        Assert.Equal(localLines.Select(Worker), servedLines.Select(Worker));
        Assert.Equal(localLines.Select(s => (s.ItemId, s.Extracted, s.Score, s.FormatOk)), servedLines.Select(s => (s.ItemId, s.Extracted, s.Score, s.FormatOk)));
        Assert.Equal(localLines.Select(s => s.Stats![PlannerNotes.WorkerTokens]), servedLines.Select(s => s.Stats![PlannerNotes.WorkerTokens]));
        Assert.Equal((inProcess.Accuracy, inProcess.FormatRate), (viaServer.Accuracy, viaServer.FormatRate));
    }

    /// <summary>One planner_worker job whose worker role is <paramref name="worker"/>, its backend made from the job as <c>eval</c> makes it.</summary>
    private async Task<(JobResult Result, List<(string Prompt, string Reply)> Exchanges)> RunAsync(string name, ModelSpec worker)
    {
        var task = TaskRegistry.Default.Get(Task);
        var options = new JsonObject { ["combine"] = "model", ["worker_max_tokens"] = 8 };
        var planner = new ModelSpec("gold-planner", "scripted", null, null, null, "plain", GenerationSpec.Default with { MaxTokens = 128 }, null, null, null, 1, "h");
        var job = new EvalJob("k-" + name, Task, (JsonObject)JsonSerializer.SerializeToNode(task.Levels[0], task.ConfigType, HierJson.Options)!,
            0, "test", Seed, Items, planner, "cpu:0", Path.Combine(_dir, name + ".json"), Path.Combine(_dir, name + ".jsonl"), BatchSize: Items,
            Strategy: new StrategySpec(PlannerWorkerStrategy.Name, options, new Dictionary<string, ModelSpec> { ["worker"] = worker }));

        await using var goldPlanner = new GoldPlanner(TaskDataset.Create(task, Split.Test, Seed, Items, null, 0).ToArray());
        await using var workerBackend = new WorkerLog(BackendFactory.Create(job.Strategy!.Models!["worker"], job.Device));
        var result = await new JobEvaluator(goldPlanner, TaskRegistry.Default, roleModels: new Dictionary<string, IModelBackend> { ["worker"] = workerBackend }).RunAsync(job);
        return (result, workerBackend.Exchanges);
    }


    private SampleRecord[] Samples(string name) =>
        File.ReadAllLines(Path.Combine(_dir, name + ".jsonl")).Select(line => JsonSerializer.Deserialize<SampleRecord>(line, HierJson.Options)!).ToArray();

    private static string Worker(SampleRecord sample) => sample.Segments!.Single(s => s.Actor == Actor.Worker.Name).Text;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>The worker as the strategy sees it, keeping each prompt and reply (the transcript keeps only extracted sub-answers).</summary>
    private sealed class WorkerLog(IModelBackend inner) : IModelBackend
    {
        public List<(string Prompt, string Reply)> Exchanges { get; } = [];

        public string Name => inner.Name;

        public BackendCapabilities Capabilities => inner.Capabilities;

        public async Task<IReadOnlyList<IReadOnlyList<Completion>>> ChatAsync(IReadOnlyList<IReadOnlyList<Message>> conversations, SamplingSettings settings, CancellationToken cancellationToken = default)
        {
            var replies = await inner.ChatAsync(conversations, settings, cancellationToken);
            for (var i = 0; i < conversations.Count; i++) Exchanges.Add((conversations[i][^1].Content, replies[i][0].Text));
            return replies;
        }

        public Task<IReadOnlyList<IReadOnlyList<Completion>>> CompleteAsync(IReadOnlyList<string> prompts, SamplingSettings settings, CancellationToken cancellationToken = default) =>
            inner.CompleteAsync(prompts, settings, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>The trained planner's stand-in: completes each planner prompt with its item's gold plan.</summary>
    private sealed class GoldPlanner(IReadOnlyList<TaskItem> items) : IModelBackend
    {
        public string Name => "gold-planner";

        public BackendCapabilities Capabilities => new(false, false, null);

        public Task<IReadOnlyList<IReadOnlyList<Completion>>> CompleteAsync(IReadOnlyList<string> prompts, SamplingSettings settings, CancellationToken cancellationToken = default) =>
            System.Threading.Tasks.Task.FromResult<IReadOnlyList<IReadOnlyList<Completion>>>(prompts.Select(p => (IReadOnlyList<Completion>)
                [new Completion(PlannerWorkerStrategy.GoldPlan(items.Single(i => p.EndsWith(i.Question, StringComparison.Ordinal))), "stop", 10, 4)]).ToArray());

        public Task<IReadOnlyList<IReadOnlyList<Completion>>> ChatAsync(IReadOnlyList<IReadOnlyList<Message>> conversations, SamplingSettings settings, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("a plain-template planner is completed, not chatted with");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
