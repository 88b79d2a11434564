using HierReason.Core.Results;

namespace HierReason.Harness.Config;

/// <summary>One model of models.json, validated and with paths resolved (before checkpoint hashing).</summary>
/// <param name="Enabled">false: declared but left out of the matrix (hosted examples without their key).</param>
public sealed record ModelEntry(
    string Name,
    string Backend,
    string? Path,
    string? Train,
    string? Adapter,
    string? ChatTemplate,
    GenerationSpec Generation,
    string? BaseUrl,
    string? RemoteModel,
    string? ApiKeyEnv,
    int MaxConcurrency,
    string Dtype,
    bool Enabled);

/// <summary>models.json as loaded: every declared model, in file order.</summary>
public sealed record ModelSet(string File, IReadOnlyList<ModelEntry> Models)
{
    public IEnumerable<ModelEntry> Enabled => Models.Where(m => m.Enabled);
}
