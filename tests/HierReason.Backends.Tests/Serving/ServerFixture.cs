using HierReason.Backends.OpenAi;
using HierReason.Backends.Serving;
using HierReason.Engine.Inference;
using HierReason.Engine.Lora;
using static TorchSharp.torch;

namespace HierReason.Backends.Tests.Serving;

/// <summary>
/// One real server for the serving tests: an untrained tiny model (deterministic gibberish) plus a LoRA module with
/// non-zero B, on an ephemeral loopback port, requiring a bearer token from an environment variable.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string BaseName = "tiny";
    public const string LoraName = "tiny-lora";
    public const string KeyVariable = "HIERREASON_TEST_SERVE_KEY";

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "hierreason-serve-" + Guid.NewGuid().ToString("N")[..8]);
    public string ModelDir => Path.Combine(Root, BaseName);
    public string AdapterDir => Path.Combine(Root, "adapter");
    /// <summary>The secret clients send; it must never show up in a log line.</summary>
    public string Key { get; } = "sk-test-" + Guid.NewGuid().ToString("N");
    public CapturedLogs ServerLogs { get; } = new();
    public OpenAiServer Server { get; private set; } = null!;
    public string V1 => Server.BaseUrl + "/v1";

    public async Task InitializeAsync()
    {
        LocalModel.InitTiny(ModelDir, seed: 1);
        using (var local = LocalModel.Load(ModelDir))
        {
            var adapter = LoraAdapter.Attach(local.Model, new LoraConfig { R = 4, Alpha = 8 }, seed: 2);
            using var noGrad = no_grad();
            using var generator = new Generator(3, new Device(TorchSharp.DeviceType.CPU));
            foreach (var (_, layer) in adapter.Layers) layer.LoraB.normal_(0, 0.5, generator);
            adapter.Save(AdapterDir);
        }
        Environment.SetEnvironmentVariable(KeyVariable, Key);
        Server = await OpenAiServer.StartAsync(new ServeOptions
        {
            ModelDir = ModelDir,
            Loras = new Dictionary<string, string> { [LoraName] = AdapterDir },
            Port = 0,
            ApiKeyEnv = KeyVariable,
            MaxBatch = 64,
            Threads = 1,
            MaxBodyBytes = 64 * 1024,
            LoggerFactory = ServerLogs.Factory,
        });
    }

    /// <summary>A client of the fixture's server (with the key), logging into <paramref name="logs"/> when given.</summary>
    public Task<OpenAiBackend> ClientAsync(string model = BaseName, int maxConcurrency = 8, CapturedLogs? logs = null) =>
        OpenAiBackend.CreateAsync(new OpenAiBackendOptions
        {
            BaseUrl = V1,
            Model = model,
            ApiKeyEnv = KeyVariable,
            MaxConcurrency = maxConcurrency,
            RequestTimeout = TimeSpan.FromSeconds(60),
        }, logs?.Factory);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
