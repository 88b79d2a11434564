using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Backends.Serving;
using HierReason.Core.Episodes;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Core.Taxonomies;
using HierReason.Core.Tasks;
using HierReason.Reasoning.Evaluation;
using HierReason.Reasoning.Strategies.Thinking;

namespace HierReason.Backends.Tests.Serving;

/// <summary>
/// The taxonomy strategy against a model served by <c>hierreason serve</c> (issue 23): the chooser goes through the
/// OpenAI-compatible backend, so each choice is a JSON-schema constrained choice the server answers, and the reasoner is
/// the same served model; then the same job with both roles on the local engine, where each choice is one restricted
/// code token. Both run seed 000's loop to an answer the verifier scores.
/// </summary>
public sealed class ServedTaxonomyTests : IAsyncLifetime
{
    private const string Task = "chain_sum";
    private const int Items = 3;
    private const int MaxSteps = 4;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hierreason-served-taxonomy-" + Guid.NewGuid().ToString("N")[..10]);
    private OpenAiServer _server = null!;

    private string ModelDir => Path.Combine(_dir, "model");

    public async Task InitializeAsync()
    {
        PrintableTinyModel.Init(ModelDir);
        _server = await OpenAiServer.StartAsync(new ServeOptions { ModelDir = ModelDir, ServedModelName = "tiny", Port = 0, Threads = 1 });
    }

    private static JsonObject Options => new()
    {
        ["taxonomy"] = TaxonomyOptions.DefaultTaxonomyName, ["level"] = 0, ["max_steps"] = MaxSteps, ["thought_max_tokens"] = 12, ["answer_max_tokens"] = 8,
    };

    private static IReadOnlyList<string> Level0Labels => DefaultTaxonomy.Build().Level(0).Select(t => t.Label).Append(Taxonomy.FinishLabel).ToArray();

    [Fact]
    public async Task A_served_chooser_picks_labels_by_json_schema_and_a_served_reasoner_writes_the_thoughts()
    {
        var generation = GenerationSpec.Default with { MaxTokens = 64 };
        var served = new ModelSpec("tiny-served", "openai", null, null, null, null, generation, _server.BaseUrl + "/v1", "tiny", null, 4, "remote");
        await using var chooser = new Log(BackendFactory.Create(served, "cpu:0"));
        await using var reasoner = new Log(BackendFactory.Create(served, "cpu:0"));
        var result = await RunAsync("served", served, chooser, reasoner);

        Assert.Equal(JobResult.Succeeded, result.Status);
        var samples = Samples("served");
        Assert.Equal(Items, samples.Length);
        foreach (var sample in samples)
        {
            var choices = sample.Segments!.Where(s => s.Actor == Actor.Policy.Name).Select(s => s.Text).ToArray();
            // A text chooser writes the label itself: every choice is one of the level's labels or Finish.
            Assert.NotEmpty(choices);
            Assert.All(choices, c => Assert.Contains(c, Level0Labels));
            Assert.True(choices.Length <= MaxSteps);
            var types = TaxonomyNotes.Types(sample.Segments!.Select(s => s.Metadata));
            Assert.Equal(choices.Length, types.Count);
            Assert.Equal(sample.Stats![TaxonomyNotes.Thoughts], types.Count(t => t != TaxonomyNotes.FinishId));
            Assert.Equal(0, sample.Stats[TaxonomyNotes.ChoiceParseFailed]);
        }
        // Every choice request went to the server as a constrained choice over the level's labels; every reasoner request as free text.
        Assert.Equal(samples.Sum(s => s.Segments!.Count(x => x.Actor == Actor.Policy.Name)), chooser.Calls.Sum(c => c.Count));
        // (Each item lists the types in its own order; Finish stays last.)
        Assert.All(chooser.Calls, c => Assert.Equal(Level0Labels.Order(), c.Choice!.Values.Order()));
        Assert.All(chooser.Calls, c => Assert.Equal(Taxonomy.FinishLabel, c.Choice!.Values[^1]));
        Assert.All(reasoner.Calls, c => Assert.Null(c.Choice));
        // One reasoner request per thought and one for each episode's answer.
        Assert.Equal(samples.Sum(s => s.Stats![TaxonomyNotes.Thoughts]) + Items, reasoner.Calls.Sum(c => c.Count));
    }

    [Fact]
    public async Task On_the_local_engine_each_choice_is_one_restricted_code_token()
    {
        var local = new ModelSpec("tiny-local", "local", ModelDir, null, null, null, GenerationSpec.Default with { MaxTokens = 64 }, null, null, null, 1, "h");
        await using var chooser = BackendFactory.Create(local, "cpu:0");
        await using var reasoner = BackendFactory.Create(local, "cpu:0");
        var result = await RunAsync("local", local, chooser, reasoner);

        Assert.Equal(JobResult.Succeeded, result.Status);
        foreach (var sample in Samples("local"))
        {
            var choices = sample.Segments!.Where(s => s.Actor == Actor.Policy.Name).Select(s => s.Text).ToArray();
            // Codes A-D name the three level-0 types and Finish; the environment writes the label after each.
            Assert.All(choices, c => Assert.Contains(c, new[] { "A", "B", "C", "D" }));
            var environment = sample.Segments!.Where(s => s.Actor == Actor.Environment.Name).ToArray();
            Assert.All(environment, e => Assert.Contains(e.Metadata![TaxonomyNotes.LabelKey], Level0Labels));
            Assert.All(environment, e => Assert.StartsWith(" " + e.Metadata![TaxonomyNotes.LabelKey], e.Text));
        }
    }

    private async Task<JobResult> RunAsync(string name, ModelSpec chooserSpec, IModelBackend chooser, IModelBackend reasoner)
    {
        var task = TaskRegistry.Default.Get(Task);
        var job = new EvalJob("k-" + name, Task, (JsonObject)JsonSerializer.SerializeToNode(task.Levels[0], task.ConfigType, HierJson.Options)!,
            0, "test", 7, Items, chooserSpec, "cpu:0", Path.Combine(_dir, name + ".json"), Path.Combine(_dir, name + ".jsonl"), BatchSize: Items,
            Strategy: new StrategySpec(TaxonomyStrategy.Name, TaxonomyOptions.Check(Options, null, "$"), new Dictionary<string, ModelSpec> { ["reasoner"] = chooserSpec }));
        return await new JobEvaluator(chooser, TaskRegistry.Default, roleModels: new Dictionary<string, IModelBackend> { ["reasoner"] = reasoner }).RunAsync(job);
    }


    private SampleRecord[] Samples(string name) =>
        File.ReadAllLines(Path.Combine(_dir, name + ".jsonl")).Select(line => JsonSerializer.Deserialize<SampleRecord>(line, HierJson.Options)!).ToArray();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>A backend that keeps the choice constraint and size of every call it passes on.</summary>
    private sealed class Log(IModelBackend inner) : IModelBackend
    {
        public List<(ChoiceConstraint? Choice, int Count)> Calls { get; } = [];

        public string Name => inner.Name;

        public BackendCapabilities Capabilities => inner.Capabilities;

        public Task<IReadOnlyList<IReadOnlyList<Completion>>> ChatAsync(IReadOnlyList<IReadOnlyList<Message>> conversations, SamplingSettings settings, CancellationToken cancellationToken = default)
        {
            lock (Calls) Calls.Add((settings.Choice, conversations.Count));
            return inner.ChatAsync(conversations, settings, cancellationToken);
        }

        public Task<IReadOnlyList<IReadOnlyList<Completion>>> CompleteAsync(IReadOnlyList<string> prompts, SamplingSettings settings, CancellationToken cancellationToken = default)
        {
            lock (Calls) Calls.Add((settings.Choice, prompts.Count));
            return inner.CompleteAsync(prompts, settings, cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
