using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace HierReason.Core.Results;

/// <summary>
/// One cell of the benchmark matrix at one seed, everything a worker needs to run it: the task at its resolved config,
/// the model, the device and where to write. Immutable; <see cref="Key"/> hashes what determines the result.
/// </summary>
/// <param name="Key">Hex hash of task + config, split, seed, n, model identity, generation settings and code version (not the device).</param>
/// <param name="Config">The task's resolved config, written in full (the task's <c>ParseConfig</c> reads it back).</param>
/// <param name="Device">"cpu:0", "cuda:1", …: where the job is assigned; GPU workers are pinned with CUDA_VISIBLE_DEVICES.</param>
/// <param name="ResultPath">The job result JSON (written last, atomically).</param>
/// <param name="SamplesPath">One JSON line per sample.</param>
/// <param name="BatchSize">Prompts per generation call.</param>
/// <param name="Threads">libtorch threads in the worker; 0 = all cores.</param>
/// <param name="SyntheticMs">When set, the worker loads no model and sleeps this long (scheduler benchmarks).</param>
/// <param name="Strategy">How episodes run (null = vanilla: the task prompt and one turn of <see cref="Model"/>).</param>
public sealed record EvalJob(
    string Key,
    string Task,
    JsonObject Config,
    int? Level,
    string Split,
    long Seed,
    int N,
    ModelSpec Model,
    string Device,
    string ResultPath,
    string SamplesPath,
    int BatchSize = 32,
    int Threads = 0,
    int? SyntheticMs = null,
    StrategySpec? Strategy = null)
{
    /// <summary>The strategy's name ("vanilla" when none is set).</summary>
    public string StrategyName => Strategy?.Name ?? Episodes.EpisodeStrategy.VanillaName;
}

/// <summary>A model as models.json declares it, paths resolved.</summary>
/// <param name="Backend">"local" or "openai".</param>
/// <param name="Path">Model folder (local); for "train" models, artifacts/models/&lt;experiment name&gt;.</param>
/// <param name="Train">The experiment file that produces the folder, when declared.</param>
/// <param name="ChatTemplate">null: the model's own template; "plain": raw completion of the prompt; else a template name.</param>
/// <param name="CheckpointHash">Hash of the checkpoint files (config.json, *.safetensors, adapter); "missing" when the folder does not exist.</param>
/// <param name="Dtype">float32 (default), bfloat16, float16.</param>
public sealed record ModelSpec(
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
    string CheckpointHash,
    string Dtype = "float32")
{
    /// <summary>
    /// The checkpoint hash when the checkpoint is an input of the run (a folder or endpoint models.json points at); null for
    /// a model the pipeline trains (<see cref="Train"/>), whose weights are an output of the code under test: results of
    /// two commits are then compared by accuracy, not refused as different checkpoints.
    /// </summary>
    [JsonIgnore]
    public string? FixedCheckpointHash => Train is null && !PipelineOutput ? CheckpointHash : null;

    /// <summary>The folder is written by the pipeline before the benchmark (models.json <c>pipeline_output</c>): like a <see cref="Train"/> model, not pinned to a hash.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool PipelineOutput { get; init; }

    /// <summary>How an openai model's requests are shaped (models.json's max_tokens_field, sampling, extra_body, headers, …); null = the defaults.</summary>
    [JsonPropertyName("openai")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OpenAiRequestSettings? OpenAi { get; init; }
}

/// <summary>How completions are sampled (models.json's "generation").</summary>
/// <param name="Samples">Samples per item (models.json's <c>n</c>, as OpenAI names it); with more than one a job reports pass@k
/// and maj@k (k = n) beside the first sample's accuracy.</param>
public sealed record GenerationSpec(double Temperature, double TopP, int MaxTokens, IReadOnlyList<string> Stop, long? Seed,
    [property: JsonPropertyName("n")] int Samples = 1)
{
    public static GenerationSpec Default { get; } = new(0.0, 1.0, 256, [], null);
}
