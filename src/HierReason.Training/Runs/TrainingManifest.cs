using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HierReason.Core.IO;
using HierReason.Engine.Lora;
using HierReason.Training.Experiments;

namespace HierReason.Training.Runs;

/// <summary>
/// <c>training_manifest.json</c> in a model folder that <c>train</c> wrote: the SHA-256 of the resolved (merged)
/// experiment, of the upstream model's manifest (the folder GRPO started from, when it has one), and of both together
/// (<see cref="Hash"/>), which <c>train --if-changed</c> compares to decide the folder is up to date.
/// </summary>
public sealed record TrainingManifest(
    [property: JsonPropertyName("experiment")] string Experiment,
    [property: JsonPropertyName("config_sha256")] string ConfigSha256,
    [property: JsonPropertyName("upstream_manifest_sha256")] string? UpstreamManifestSha256,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("created_utc")] DateTimeOffset CreatedUtc)
{
    public const string FileName = "training_manifest.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>The manifest <paramref name="config"/> would write now (hashes only depend on the config and the upstream folder).</summary>
    public static TrainingManifest For(ExperimentConfig config, int steps)
    {
        var configHash = Sha256(config.ResolvedJson);
        var upstreamFile = config.Model.Path is { } path ? Path.Combine(path, FileName) : null;
        var upstream = upstreamFile is not null && File.Exists(upstreamFile) ? Sha256(File.ReadAllText(upstreamFile)) : null;
        return new TrainingManifest(config.Name, configHash, upstream, Sha256(configHash + "\n" + (upstream ?? "")), steps, DateTimeOffset.UtcNow);
    }

    public void Save(string directory) => AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Options));

    public static TrainingManifest? TryLoad(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<TrainingManifest>(File.ReadAllText(path), Options); }
        catch (JsonException) { return null; }
    }

    /// <summary>
    /// True when <paramref name="config"/>'s output folder holds a complete model (weights or adapter, written before
    /// the manifest) whose manifest hash equals what this config would write.
    /// </summary>
    public static bool IsUpToDate(ExperimentConfig config)
    {
        if (TryLoad(config.Output) is not { } existing) return false;
        var hasModel = config.Model.Lora is null
            ? File.Exists(Path.Combine(config.Output, "config.json")) &&
              (File.Exists(Path.Combine(config.Output, "model.safetensors")) || File.Exists(Path.Combine(config.Output, "model.safetensors.index.json")))
            : File.Exists(Path.Combine(config.Output, LoraAdapter.WeightsFileName));
        return hasModel && existing.Hash == For(config, existing.Steps).Hash;
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
