using System.Text.Json.Serialization;

namespace HierReason.Training.Checkpoints;

/// <summary>
/// A resume that continued a checkpoint under another experiment (<c>train --resume --allow-config-change</c>): the step
/// it continued from, the hashes before and after (as <c>training_manifest.json</c> computes them) and what differed.
/// </summary>
public sealed record ConfigChange(
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("from_config_sha256")] string? FromConfigSha256,
    [property: JsonPropertyName("from_upstream_manifest_sha256")] string? FromUpstreamManifestSha256,
    [property: JsonPropertyName("to_config_sha256")] string ToConfigSha256,
    [property: JsonPropertyName("to_upstream_manifest_sha256")] string? ToUpstreamManifestSha256,
    [property: JsonPropertyName("what")] string What,
    [property: JsonPropertyName("utc")] DateTimeOffset Utc);
