using System.Text.Json.Serialization;
using HierReason.Training.Runs;

namespace HierReason.Training.Checkpoints;

/// <summary>
/// Which experiment a checkpoint was trained under (<c>trainer_state.json</c>'s <c>origin</c>): the hashes of the merged
/// experiment and of the upstream model's manifest, and every resume that continued the run under another experiment.
/// <c>--resume</c> compares it with the experiment it is given.
/// </summary>
public sealed record CheckpointOrigin(
    [property: JsonPropertyName("config_sha256")] string ConfigSha256,
    [property: JsonPropertyName("upstream_manifest_sha256")] string? UpstreamManifestSha256,
    [property: JsonPropertyName("config_changes")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<ConfigChange>? ConfigChanges = null)
{
    /// <summary>A run of <paramref name="fingerprint"/>'s experiment that has not changed experiment so far.</summary>
    public static CheckpointOrigin Of(ExperimentFingerprint fingerprint) => new(fingerprint.ConfigSha256, fingerprint.UpstreamManifestSha256);

    /// <summary>True when this checkpoint was trained under exactly <paramref name="fingerprint"/>'s experiment and upstream model.</summary>
    public bool Matches(ExperimentFingerprint fingerprint) =>
        ConfigSha256 == fingerprint.ConfigSha256 && UpstreamManifestSha256 == fingerprint.UpstreamManifestSha256;

    /// <summary>True when some resume continued this run under another experiment.</summary>
    public bool Changed => ConfigChanges is { Count: > 0 };
}
