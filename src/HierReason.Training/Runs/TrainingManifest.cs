using System.Text.Json;
using System.Text.Json.Serialization;
using HierReason.Core.IO;
using HierReason.Engine.Lora;
using HierReason.Training.Checkpoints;
using HierReason.Training.Experiments;

namespace HierReason.Training.Runs;

/// <summary>
/// <c>training_manifest.json</c> in a model folder that <c>train</c> wrote: the SHA-256 of the resolved (merged)
/// experiment, of the upstream model's manifest (the folder GRPO started from, when it has one), and of both together
/// (<see cref="Hash"/>); the steps trained and the steps the experiment asks for (<see cref="Partial"/> when fewer,
/// e.g. after <c>--max-steps</c>); and every resume that continued the run under another experiment. A run removes it
/// when it begins and writes it when it ends, so it only ever describes the model beside it.
/// <c>train --if-changed</c> compares it with the experiment.
/// </summary>
public sealed record TrainingManifest(
    [property: JsonPropertyName("experiment")] string Experiment,
    [property: JsonPropertyName("config_sha256")] string ConfigSha256,
    [property: JsonPropertyName("upstream_manifest_sha256")] string? UpstreamManifestSha256,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("created_utc")] DateTimeOffset CreatedUtc,
    [property: JsonPropertyName("target_steps")] int? TargetSteps = null,
    [property: JsonPropertyName("partial")] bool Partial = false,
    [property: JsonPropertyName("config_changes")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<ConfigChange>? ConfigChanges = null)
{
    public const string FileName = "training_manifest.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>
    /// The manifest of <paramref name="config"/>'s run after <paramref name="steps"/> steps (hashes only depend on the config
    /// and the upstream folder); <paramref name="changes"/> are the resumes that continued it under another experiment.
    /// </summary>
    public static TrainingManifest For(ExperimentConfig config, int steps, IReadOnlyList<ConfigChange>? changes = null)
    {
        var fingerprint = ExperimentFingerprint.Of(config);
        return new TrainingManifest(config.Name, fingerprint.ConfigSha256, fingerprint.UpstreamManifestSha256, fingerprint.Hash, steps,
            DateTimeOffset.UtcNow, config.TargetSteps, steps < config.TargetSteps, changes is { Count: > 0 } ? changes : null);
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
    /// True when <paramref name="config"/>'s output folder holds a complete model (weights, and the adapter of a LoRA run, written before the
    /// manifest) whose manifest hash equals what this config would write, trained for all of the experiment's steps
    /// (compared with the experiment, so manifests written before <c>target_steps</c> existed are judged too) and never
    /// continued under another experiment.
    /// </summary>
    public static bool IsUpToDate(ExperimentConfig config)
    {
        if (TrainingOutput.ClearingInterrupted(config.Output) || TryLoad(config.Output) is not { } existing) return false;
        // A LoRA run writes its adapter and the merged model (older LoRA runs wrote only the adapter: trained again).
        var hasModel = File.Exists(Path.Combine(config.Output, "config.json")) &&
                       (File.Exists(Path.Combine(config.Output, "model.safetensors")) || File.Exists(Path.Combine(config.Output, "model.safetensors.index.json"))) &&
                       (config.Model.Lora is null || File.Exists(Path.Combine(config.Output, LoraAdapter.WeightsFileName)));
        return hasModel && existing.Hash == ExperimentFingerprint.Of(config).Hash && existing.Steps >= config.TargetSteps && existing.ConfigChanges is not { Count: > 0 };
    }
}
