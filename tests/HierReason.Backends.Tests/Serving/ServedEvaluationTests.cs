using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core.Json;
using HierReason.Core.Results;
using HierReason.Core.Tasks;
using HierReason.Reasoning.Evaluation;

namespace HierReason.Backends.Tests.Serving;

/// <summary>
/// The harness's evaluation worker on a model served by <c>hierreason serve</c>: the job goes through
/// <see cref="BackendFactory"/>'s openai backend over loopback, and scores exactly as the same model run in-process.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ServedEvaluationTests(ServerFixture fixture) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hierreason-served-eval-" + Guid.NewGuid().ToString("N")[..10]);

    private EvalJob Job(string name, ModelSpec model) =>
        new("k-" + name, "chain_sum",
            (JsonObject)JsonSerializer.SerializeToNode(TaskRegistry.Default.Get("chain_sum").Levels[0], TaskRegistry.Default.Get("chain_sum").ConfigType, HierJson.Options)!,
            0, "test", 3, 6, model, "cpu:0",
            Path.Combine(_dir, name + ".json"), Path.Combine(_dir, name + ".jsonl"), BatchSize: 6);

    [Fact]
    public async Task A_served_model_is_evaluated_through_the_openai_backend_like_the_same_model_in_process()
    {
        Directory.CreateDirectory(_dir);
        var generation = GenerationSpec.Default with { MaxTokens = 10 };
        var served = new ModelSpec("tiny-served", "openai", null, null, null, null, generation,
            fixture.V1, ServerFixture.BaseName, ServerFixture.KeyVariable, 4, "remote");
        var local = new ModelSpec("tiny-local", "local", fixture.ModelDir, null, null, null, generation, null, null, null, 1, "h");

        JobResult viaServer, inProcess;
        await using (var backend = BackendFactory.Create(served, "cpu:0"))
            viaServer = await new JobEvaluator(backend, TaskRegistry.Default).RunAsync(Job("served", served));
        await using (var backend = BackendFactory.Create(local, "cpu:0"))
            inProcess = await new JobEvaluator(backend, TaskRegistry.Default).RunAsync(Job("local", local));

        Assert.Equal(6, viaServer.N);
        Assert.Equal(6, File.ReadAllLines(Path.Combine(_dir, "served.jsonl")).Length);
        Assert.True(File.Exists(Path.Combine(_dir, "served.json")));
        // Greedy decoding of the same weights through the chat template: the same completions, hence the same scores.
        Assert.Equal(Completions("local"), Completions("served"));
        Assert.Equal(inProcess.Accuracy, viaServer.Accuracy);
        Assert.Equal(inProcess.MeanTokens, viaServer.MeanTokens);
    }

    private string[] Completions(string name) =>
        File.ReadAllLines(Path.Combine(_dir, name + ".jsonl"))
            .Select(line => JsonNode.Parse(line)!["completion"]!.GetValue<string>())
            .ToArray();

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
