using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HierReason.Core.Json;
using HierReason.Core.Results;

namespace HierReason.Harness.Jobs;

/// <summary>
/// The key of a job: SHA-256 (hex, 32 characters) of everything that determines its result — task and resolved
/// config, level, split, seed, n, the model's identity (name, backend, checkpoint hash, adapter, chat template, dtype,
/// endpoint), generation settings (samples per item among them, when more than one), the strategy (its name, options and the identities of its frozen models; absent for
/// vanilla, so vanilla keys are what they were) and the code version. Not the device, not the paths: an interrupted
/// benchmark resumes on any machine.
/// </summary>
public static class JobKey
{
    /// <summary>The code version that goes into keys: HierReason's informational version.</summary>
    public static string CodeVersion { get; } =
        typeof(JobKey).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static string Compute(string task, JsonObject config, int? level, string split, long seed, int n, ModelSpec model, string codeVersion, int? syntheticMs = null,
        StrategySpec? strategy = null)
    {
        var identity = new JsonObject
        {
            ["task"] = task,
            ["config"] = config.DeepClone(),
            ["level"] = level,
            ["split"] = split,
            ["seed"] = seed,
            ["n"] = n,
            ["model"] = new JsonObject
            {
                ["name"] = model.Name,
                ["backend"] = model.Backend,
                ["checkpoint"] = model.CheckpointHash,
                ["chat_template"] = model.ChatTemplate,
                ["dtype"] = model.Dtype,
                ["base_url"] = model.BaseUrl,
                ["model"] = model.RemoteModel,
            },
            ["generation"] = Generation(model.Generation),
            ["code_version"] = codeVersion,
            ["synthetic_ms"] = syntheticMs,
        };
        if (strategy is { IsVanilla: false }) identity["strategy"] = strategy.KeyText();
        // Request settings change what an endpoint answers; they enter the key only when set, so older keys still match.
        // Header values from the environment are not in it (only the variables' names): a rotated key is the same job.
        if (model.OpenAi is { } openai) identity["openai"] = System.Text.Json.JsonSerializer.SerializeToNode(openai, HierJson.Options);
        var bytes = Encoding.UTF8.GetBytes(identity.ToJsonString(HierJson.Options));
        return Convert.ToHexStringLower(SHA256.HashData(bytes))[..32];
    }

    // Samples per item enter the key only when more than one, so the keys of one-sample jobs are what they were before
    // generation.n existed and their finished results are still found.
    private static JsonNode Generation(GenerationSpec generation)
    {
        var node = System.Text.Json.JsonSerializer.SerializeToNode(generation, HierJson.Options)!.AsObject();
        if (generation.Samples == 1) node.Remove("n");
        return node;
    }
}
