using System.Text.Json.Nodes;
using HierReason.Core.Episodes;
using HierReason.Core.Results;

namespace HierReason.Harness.Config;

/// <summary>
/// One model of models.json, validated and with paths resolved (before checkpoint hashing). A composite entry (a strategy
/// over other entries) carries its policy model's fields under its own name, plus the strategy, its checked options and
/// the entries that fill its roles.
/// </summary>
/// <param name="Enabled">false: declared but left out of the matrix (hosted examples without their key).</param>
/// <param name="Strategy">"vanilla" for a plain model entry.</param>
/// <param name="StrategyOptions">The strategy's options, checked and completed with defaults (empty for vanilla).</param>
/// <param name="Roles">For a composite: role → the name of the models.json entry that fills it (the policy role included).</param>
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
    bool Enabled,
    string Strategy = EpisodeStrategy.VanillaName,
    JsonObject? StrategyOptions = null,
    IReadOnlyDictionary<string, string>? Roles = null)
{
    /// <summary>Whether the entry gets a benchmark row of its own (models.json <c>"bench"</c>, default true); false for a model only composites use.</summary>
    public bool Bench { get; init; } = true;

    /// <summary>
    /// models.json <c>"pipeline_output": true</c>: the "path" folder is written by the pipeline itself before the benchmark
    /// (a DPO model of BenchmarkHierarchical's process section), so, like a "train" model's, its weights are the product
    /// under test and results are not pinned to a checkpoint hash. A composite whose policy is a "train" or pipeline_output
    /// model is one too.
    /// </summary>
    public bool PipelineOutput { get; init; }

    /// <summary>An openai model's request settings (max_tokens_field, sampling, reasoning_effort, extra_body, headers, n, timeout_seconds); null when none is set.</summary>
    public OpenAiRequestSettings? OpenAi { get; init; }

    /// <summary>Whether this entry composes a strategy over other entries (it is then never trained itself).</summary>
    public bool IsComposite => Roles is not null;
}

/// <summary>models.json as loaded: every declared model, in file order.</summary>
public sealed record ModelSet(string File, IReadOnlyList<ModelEntry> Models)
{
    public IEnumerable<ModelEntry> Enabled => Models.Where(m => m.Enabled);

    /// <summary>
    /// The entries a run loads: those named in <paramref name="onlyModels"/> (a disabled one included), else the enabled
    /// ones; a composite stands for the entries that fill its roles, listed (once each) in its place.
    /// </summary>
    public IReadOnlyList<ModelEntry> Loaded(IReadOnlyCollection<string>? onlyModels)
    {
        var chosen = onlyModels is null ? Enabled.ToList() : Models.Where(m => onlyModels.Contains(m.Name)).ToList();
        return chosen.SelectMany(m => m.IsComposite ? m.Roles!.Values.Select(name => Models.First(e => e.Name == name)) : [m])
            .DistinctBy(m => m.Name).ToList();
    }
}
