using System.Text.Json.Nodes;
using HierReason.Core.Configs;

namespace HierReason.Training.Experiments;

/// <summary>
/// The keys each object of an experiment file accepts (besides <c>$comment</c> everywhere and <c>$schema</c> at the top);
/// schemas/experiment.schema.json declares the same, and a test keeps the two in step.
/// </summary>
public static class ExperimentKeys
{
    /// <summary>The top level (with <see cref="ExperimentMerge.BaseKey"/>, which the merge removes first).</summary>
    public static readonly string[] Root = ["name", "model", "data", "sft", "grpo", "output", "checkpoint", "eval", "curriculum"];

    /// <summary><c>model</c>.</summary>
    public static readonly string[] Model = ["init", "seed", "path", "from", "device", "dtype", "lora", "optimizer_state"];

    /// <summary><c>model.lora</c>.</summary>
    public static readonly string[] Lora = ["r", "alpha", "dropout", "target_modules"];

    /// <summary><c>data</c>.</summary>
    public static readonly string[] Data = ["tasks", "seed"];

    /// <summary>An entry of <c>data.tasks</c>.</summary>
    public static readonly string[] DataTask = ["task", "weight", "level", "config", "view"];

    /// <summary><c>sft</c>.</summary>
    public static readonly string[] Sft = ["steps", "batch_size", "grad_accum", "learning_rate", "warmup_steps", "weight_decay", "max_grad_norm", "max_seq_len",
        "min_lr_ratio", "environment", "environment_options", "bucket_steps"];

    /// <summary><c>grpo</c> (with the deprecated names of <see cref="GrpoAliases"/>).</summary>
    public static readonly string[] Grpo = ["steps", "prompts_per_step", "grad_accum", "learning_rate", "warmup_steps", "weight_decay", "max_grad_norm",
        "min_lr_ratio", "num_generations", "loss_type", "epsilon", "epsilon_high", "beta", "label_kl", "num_iterations", "scale_rewards",
        "mask_truncated_completions", "dynamic_sampling", "temperature", "top_p", "max_new_tokens", "overlong_cache_length", "seed", "rewards",
        "environment", "environment_options", "environment_models", "max_calls", "max_bad_steps", "max_generation_batches", "optimizer", "momentum",
        "negative_advantage_scale", "measure_update", "advantage", "process_reward"];

    /// <summary>Old names of <c>grpo</c> keys, still read for one release with a warning: old → new.</summary>
    public static readonly IReadOnlyDictionary<string, string> GrpoAliases = new Dictionary<string, string> { ["max_completion_length"] = "max_new_tokens" };

    /// <summary>A role's model in <c>grpo.environment_models</c>.</summary>
    public static readonly string[] EnvironmentModel = ["from", "path"];

    /// <summary><c>curriculum</c>.</summary>
    public static readonly string[] Curriculum = ["window", "promote_at", "demote_at", "min_samples", "min_level", "max_level"];

    /// <summary><c>checkpoint</c>.</summary>
    public static readonly string[] Checkpoint = ["every", "keep_last"];

    /// <summary><c>eval</c>.</summary>
    public static readonly string[] Eval = ["every", "n", "split", "readiness_n", "readiness_k"];

    /// <summary>
    /// Renames one file's deprecated keys to their new names in place (with a warning naming <paramref name="file"/>), before
    /// files of a <c>_base_</c> chain merge: a base may then use the old name and the file the new one.
    /// </summary>
    internal static void Normalize(JsonObject file, string shown)
    {
        if (file["grpo"] is JsonObject grpo)
            foreach (var (oldName, newName) in GrpoAliases) ConfigDeprecation.Alias(grpo, oldName, newName, shown, "$.grpo");
    }
}
