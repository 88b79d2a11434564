using System.Security.Cryptography;
using System.Text;
using HierReason.Training.Experiments;

namespace HierReason.Training.Runs;

/// <summary>
/// What identifies the run an experiment describes: the SHA-256 of its resolved (merged) JSON and of the upstream model's
/// <c>training_manifest.json</c> (the folder GRPO starts from, when it has one). <see cref="Hash"/> combines both.
/// </summary>
public sealed record ExperimentFingerprint(string ConfigSha256, string? UpstreamManifestSha256)
{
    /// <summary>Both hashes together: what <c>training_manifest.json</c> records as <c>hash</c>.</summary>
    public string Hash => Sha256(ConfigSha256 + "\n" + (UpstreamManifestSha256 ?? ""));

    /// <summary>The fingerprint of <paramref name="config"/> now (the upstream manifest is read from disk).</summary>
    public static ExperimentFingerprint Of(ExperimentConfig config)
    {
        var upstreamFile = config.Model.Path is { } path ? Path.Combine(path, TrainingManifest.FileName) : null;
        var upstream = upstreamFile is not null && File.Exists(upstreamFile) ? Sha256(File.ReadAllText(upstreamFile)) : null;
        return new ExperimentFingerprint(Sha256(config.ResolvedJson), upstream);
    }

    internal static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
