namespace HierReason.Cli.Tests.Commands;

/// <summary>One tiny model written by <c>model init</c>, shared by a test class, and a scratch root deleted afterwards.</summary>
public sealed class TinyModelFolder : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "hierreason-model-tests-" + Guid.NewGuid().ToString("N"));

    public string Model => Path.Combine(Root, "tiny");

    public CliRun Init { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        Init = await CliRun.Of("model", "init", "--output", Model, "--seed", "3", "--threads", "1");
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* a leftover temp directory is harmless */ }
        return Task.CompletedTask;
    }

    /// <summary>A new empty folder under the scratch root.</summary>
    public string NewFolder(string name)
    {
        var path = Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A folder holding only config.json and model.safetensors copied from the tiny model.</summary>
    public string WeightsOnly()
    {
        var path = NewFolder("weights-only");
        foreach (var file in new[] { "config.json", "model.safetensors" })
            File.Copy(Path.Combine(Model, file), Path.Combine(path, file));
        return path;
    }
}
