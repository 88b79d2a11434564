using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Core.Episodes;
using HierReason.Core.IO;
using HierReason.Core.Results;

namespace HierReason.Harness.Config;

/// <summary>
/// Reads and validates <c>models.json</c> (generation: temperature, top_p, max_new_tokens, stop, seed, n): <c>{ "models": [ { name, backend, path | train, chat_template, generation,
/// adapter, base_url, model, api_key_env, max_concurrency, dtype, enabled, bench, and for openai entries max_tokens_field, sampling,
/// reasoning_effort, extra_body, headers, n, timeout_seconds (<see cref="OpenAiSettingsReader"/>) } ], "defaults": { generation, chat_template, dtype } }</c>.
/// Every mistake is a <see cref="ConfigException"/> naming the file, the JSON path and what was expected.
/// Relative paths resolve against the file's folder, or the optional top-level <c>"root"</c> (relative to it); a "train" model
/// lives at artifacts/models/&lt;experiment name&gt; there. <c>"bench": false</c> keeps a model out of the matrix (a planner
/// only composites use).
/// A composite entry runs a strategy over other entries: <c>{ name, strategy, &lt;role&gt;: "&lt;entry name&gt;" for each of the
/// strategy's roles, options?, generation?, enabled? }</c>, e.g. <c>{"name": "tiny-calc", "strategy": "calculator", "model": "tiny-sft"}</c>.
/// </summary>
public static class ModelsFile
{
    public static readonly IReadOnlyList<string> Backends = ["local", "openai"];
    public static readonly IReadOnlyList<string> ChatTemplates = ["auto", "chatml", "qwen2.5", "llama3", "plain"];
    public static readonly IReadOnlyList<string> Dtypes = ["float32", "bfloat16", "float16"];

    /// <summary>The most samples per item <c>generation.n</c> may ask for.</summary>
    public const int MaxSamples = 1024;

    // The keys each object accepts (besides $comment everywhere and $schema at the top); schemas/models.schema.json declares
    // the same, and a test keeps the two in step.

    /// <summary>The keys of the top level.</summary>
    public static readonly string[] RootFields = ["models", "defaults", "root"];

    /// <summary>The keys of <c>defaults</c>.</summary>
    public static readonly string[] DefaultFields = ["generation", "chat_template", "dtype"];

    /// <summary>The keys of a plain model entry (the openai settings are refused on a local entry by their reader).</summary>
    public static readonly string[] ModelFields =
        ["name", "backend", "path", "train", "chat_template", "generation", "adapter", "base_url", "model", "api_key_env", "max_concurrency", "dtype", "enabled", "bench", "pipeline_output",
         .. OpenAiSettingsReader.Fields];

    /// <summary>The keys of <c>generation</c> (with the deprecated names of <see cref="GenerationAliases"/>).</summary>
    public static readonly string[] GenerationFields = ["temperature", "top_p", "max_new_tokens", "stop", "seed", "n"];

    /// <summary>Old names of <c>generation</c> keys, still read for one release with a warning: old → new.</summary>
    public static readonly IReadOnlyDictionary<string, string> GenerationAliases = new Dictionary<string, string> { ["max_tokens"] = "max_new_tokens" };

    /// <summary>The keys of a composite entry, besides the roles of its strategy (<see cref="StrategyCatalog"/>).</summary>
    public static readonly string[] CompositeFields = ["name", "strategy", "options", "generation", "enabled"];

    public static ModelSet Load(string path)
    {
        if (FileEntries.KindOf(path) == FileEntryKind.Missing) throw new HierReasonException($"{path}: no such models file");
        return Parse(ConfigJson.ReadFile(path), path, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
    }

    /// <summary>Reads a models file's text; <paramref name="file"/> names it in errors, <paramref name="baseDirectory"/> anchors relative paths.</summary>
    public static ModelSet Parse(string json, string file, string baseDirectory)
    {
        var root = ConfigJson.ParseObject(json, file);
        ConfigJson.RejectUnknown(root, file, "$", RootFields);
        baseDirectory = Root(root, file, baseDirectory);

        var defaultGeneration = GenerationSpec.Default;
        string? defaultTemplate = null;
        var defaultDtype = "float32";
        var defaults = ConfigJson.OptionalObject(root, "defaults", file, "$");
        if (defaults is not null)
        {
            ConfigJson.RejectUnknown(defaults, file, "$.defaults", DefaultFields);
            defaultGeneration = ReadGeneration(defaults, defaultGeneration, file, "$.defaults");
            defaultTemplate = ReadTemplate(defaults, null, file, "$.defaults");
            defaultDtype = ReadChoice(defaults, "dtype", Dtypes, defaultDtype, file, "$.defaults");
        }

        if (!root.ContainsKey("models")) throw new ConfigException(file, "$.models", "a non-empty list of models (a required field)", "nothing");
        var models = ConfigJson.OptionalArray(root, "models", file, "$")!;
        if (models.Count == 0) throw new ConfigException(file, "$.models", "a non-empty list of models", "[]");

        var entries = new List<ModelEntry>(models.Count);
        var composites = new List<(int Index, JsonObject Node)>();
        for (var i = 0; i < models.Count; i++)
        {
            var path = $"$.models[{i}]";
            // Composites refer to other entries, which may come later: they are resolved once every plain entry is read.
            var entry = models[i] is JsonObject o && o.ContainsKey("strategy")
                ? ReadCompositeName(o, file, path)
                : ReadModel(models[i], file, path, baseDirectory, defaultGeneration, defaultTemplate, defaultDtype);
            if (entries.Any(e => e.Name == entry.Name))
                throw new ConfigException(file, $"{path}.name", "a name no other model uses", $"a second '{entry.Name}'");
            if (models[i] is JsonObject c && c.ContainsKey("strategy")) composites.Add((i, c));
            entries.Add(entry);
        }
        foreach (var (index, node) in composites)
            entries[index] = ReadComposite(node, file, $"$.models[{index}]", entries, index);
        return new ModelSet(file, entries);
    }

    /// <summary>
    /// <c>"root"</c>: the folder relative paths and a "train" model's <c>artifacts/models</c> resolve against, relative to the
    /// file's folder (default: that folder). A models file below the repository (tasks/hierarchical/models.json) sets
    /// <c>"../.."</c>, so its trained models are the ones <c>hierreason train</c> writes from the repository root.
    /// </summary>
    private static string Root(JsonObject root, string file, string baseDirectory)
    {
        if (OptionalString(root, "root", file, "$") is not { } relative) return baseDirectory;
        var folder = Path.GetFullPath(Path.Combine(baseDirectory, relative));
        if (FileEntries.KindOf(folder) != FileEntryKind.Directory)
            throw new ConfigException(file, "$.root", "an existing folder, relative to this file's folder", $"'{relative}' ({folder})");
        return folder;
    }

    /// <summary>A placeholder holding the composite's name, so names stay unique before composites are resolved.</summary>
    private static ModelEntry ReadCompositeName(JsonObject obj, string file, string path)
    {
        var name = RequiredString(obj, "name", file, path);
        CheckName(name, file, path);
        return new ModelEntry(name, "local", null, null, null, null, GenerationSpec.Default, null, null, null, 1, "float32", false,
            Roles: new Dictionary<string, string>());
    }

    /// <summary>
    /// A strategy over other entries: each role names a plain entry of this file; the composite runs its policy role's model
    /// (under the composite's name, with its own generation settings if given) and is enabled only when every model it uses is.
    /// </summary>
    private static ModelEntry ReadComposite(JsonObject obj, string file, string path, IReadOnlyList<ModelEntry> entries, int index)
    {
        var name = entries[index].Name;
        var strategyName = RequiredString(obj, "strategy", file, path);
        var descriptor = StrategyCatalog.Default.Get(strategyName, file, $"{path}.strategy");
        ConfigJson.RejectUnknown(obj, file, path, [.. CompositeFields, .. descriptor.Roles]);
        var options = descriptor.Options(ConfigJson.OptionalObject(obj, "options", file, path), file, $"{path}.options");
        var used = descriptor.RolesFor(options);
        var roles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var role in descriptor.Roles)
        {
            if (!used.Contains(role))
            {
                if (obj.ContainsKey(role))
                    throw new ConfigException(file, $"{path}.{role}", $"no \"{role}\" (strategy '{strategyName}' runs no {role} model with options {options.ToJsonString()})", ConfigJson.Found(obj[role]));
                continue;
            }
            var model = obj.ContainsKey(role) ? RequiredString(obj, role, file, path)
                : throw new ConfigException(file, $"{path}.{role}", $"the name of the model that plays '{role}' for strategy '{strategyName}' (a required field)", "nothing");
            var target = entries.FirstOrDefault(e => e.Name == model)
                ?? throw new ConfigException(file, $"{path}.{role}", $"the name of a model in this file ({string.Join(", ", entries.Where(e => !e.IsComposite).Select(e => e.Name))})", $"'{model}'");
            if (target.IsComposite) throw new ConfigException(file, $"{path}.{role}", "a plain model entry (a composite cannot fill a role)", $"'{model}', itself a composite");
            roles[role] = model;
        }
        // A composite that samples no policy (planner_worker under a gold plan) runs on its first role's model entry.
        var policy = entries.First(e => e.Name == (roles.GetValueOrDefault(descriptor.PolicyRole) ?? roles[used[0]]));
        var generation = ReadGeneration(obj, policy.Generation, file, path);
        var enabled = roles.Values.All(m => entries.First(e => e.Name == m).Enabled)
            && OptionalBoolean(obj, "enabled", true, file, path, "true or false (a composite also needs every model it uses enabled)");
        return policy with
        {
            Name = name,
            // A composite is never trained itself: its models are. When its policy is one the pipeline writes (trained, or a
            // pipeline_output folder), so are the weights its row measures: the row is not pinned to their hash either.
            Train = null,
            PipelineOutput = policy.Train is not null || policy.PipelineOutput,
            Generation = generation,
            Enabled = enabled,
            // A composite always has its row, whether or not its models have theirs.
            Bench = true,
            Strategy = strategyName,
            StrategyOptions = options,
            Roles = roles,
        };
    }

    private static void CheckName(string name, string file, string path)
    {
        // Names key folders and result rows, and --models splits them on commas.
        if ((PathSegmentName.Problem(name) ?? (name.Any(c => char.IsWhiteSpace(c) || c == ',') ? "it holds a space or a comma" : null)) is { } problem)
            throw new ConfigException(file, $"{path}.name", PathSegmentName.Expected[..^1] + "; no spaces or commas)", $"{PathSegmentName.Quote(name)} ({problem})");
    }

    private static ModelEntry ReadModel(JsonNode? node, string file, string path, string baseDirectory, GenerationSpec defaultGeneration, string? defaultTemplate, string defaultDtype)
    {
        var obj = node as JsonObject ?? throw new ConfigException(file, path, "a model object { name, backend, path | train, ... }", ConfigJson.Found(node));
        ConfigJson.RejectUnknown(obj, file, path, ModelFields);

        var name = RequiredString(obj, "name", file, path);
        CheckName(name, file, path);
        var backend = RequiredString(obj, "backend", file, path);
        if (!Backends.Contains(backend))
            throw new ConfigException(file, $"{path}.backend", $"one of {string.Join(", ", Backends)}", $"'{backend}'");

        var modelPath = OptionalString(obj, "path", file, path);
        var train = OptionalString(obj, "train", file, path);
        var adapter = OptionalString(obj, "adapter", file, path);
        var baseUrl = OptionalString(obj, "base_url", file, path);
        var remoteModel = OptionalString(obj, "model", file, path);
        var apiKeyEnv = OptionalString(obj, "api_key_env", file, path);

        if (backend == "local")
        {
            if (modelPath is null && train is null)
                throw new ConfigException(file, path, "\"path\" (a model folder) or \"train\" (the experiment that produces it) for a local model", "neither");
            if (modelPath is not null && train is not null)
                throw new ConfigException(file, $"{path}.train", "either \"path\" or \"train\", not both", "both");
            foreach (var remoteField in (string[])["base_url", "model", "api_key_env", "max_concurrency", .. OpenAiSettingsReader.Fields])
                if (obj.ContainsKey(remoteField))
                    throw new ConfigException(file, $"{path}.{remoteField}", "no remote field on a local model (set \"backend\": \"openai\")", ConfigJson.Found(obj[remoteField]));
        }
        else
        {
            if (baseUrl is null) throw new ConfigException(file, $"{path}.base_url", "the endpoint's base URL for an openai model (a required field)", "nothing");
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                throw new ConfigException(file, $"{path}.base_url", "an http(s) URL", $"'{baseUrl}'");
            if (remoteModel is null) throw new ConfigException(file, $"{path}.model", "the remote model id (a required field)", "nothing");
            if (train is not null) throw new ConfigException(file, $"{path}.train", "no \"train\" on an openai model", $"'{train}'");
            if (apiKeyEnv is not null && (apiKeyEnv.Length == 0 || apiKeyEnv.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_'))))
                throw new ConfigException(file, $"{path}.api_key_env", "an environment variable name (letters, digits, _)", $"'{apiKeyEnv}'");
        }

        var maxConcurrency = obj.TryGetPropertyValue("max_concurrency", out var mc)
            ? (int)ConfigJson.Integer(mc, file, $"{path}.max_concurrency", 1, 1024)
            : 8;
        var template = ReadTemplate(obj, defaultTemplate, file, path);
        var dtype = ReadChoice(obj, "dtype", Dtypes, defaultDtype, file, path);
        var generation = ReadGeneration(obj, defaultGeneration, file, path);

        var enabled = true;
        if (obj.TryGetPropertyValue("enabled", out var enabledNode))
        {
            if (enabledNode is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) enabled = v.GetValue<bool>();
            else if (enabledNode is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>() == "if_api_key")
                enabled = apiKeyEnv is not null && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(apiKeyEnv));
            else throw new ConfigException(file, $"{path}.enabled", "true, false or \"if_api_key\"", ConfigJson.Found(enabledNode));
        }

        // "bench": false: trained and used by composites (a planner), but no benchmark row of its own.
        var bench = OptionalBoolean(obj, "bench", true, file, path, "true or false (false: no benchmark row of its own; composites may still use it)");

        var pipelineOutput = OptionalBoolean(obj, "pipeline_output", false, file, path, "true or false (true: the pipeline writes this folder before the benchmark)");
        if (pipelineOutput && (backend != "local" || modelPath is null))
            throw new ConfigException(file, $"{path}.pipeline_output", "pipeline_output only on a local model with a \"path\" (a \"train\" model is a pipeline output already)", "true");

        string? resolvedPath = modelPath is null ? null : Path.GetFullPath(Path.Combine(baseDirectory, modelPath));
        string? resolvedTrain = train is null ? null : Path.GetFullPath(Path.Combine(baseDirectory, train));
        if (resolvedTrain is not null)
        {
            if (!resolvedTrain.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                throw new ConfigException(file, $"{path}.train", "an experiment file (tasks/experiments/<name>.json)", $"'{train}'");
            resolvedPath = Path.Combine(baseDirectory, "artifacts", "models", ExperimentName(resolvedTrain, file, $"{path}.train"));
        }
        var resolvedAdapter = adapter is null ? null : Path.GetFullPath(Path.Combine(baseDirectory, adapter));
        var openAi = backend == "openai" ? OpenAiSettingsReader.Read(obj, file, path) : null;
        return new ModelEntry(name, backend, resolvedPath, resolvedTrain, resolvedAdapter, template, generation, baseUrl, remoteModel, apiKeyEnv, maxConcurrency, dtype, enabled)
        {
            Bench = bench,
            PipelineOutput = pipelineOutput,
            OpenAi = openAi,
        };
    }

    /// <summary>
    /// The experiment's "name" (what <c>hierreason train</c> names its folder), else the file's stem. A name that is not one
    /// safe path segment is refused here too: it would place the model outside artifacts/models.
    /// </summary>
    private static string ExperimentName(string experimentFile, string file, string jsonPath)
    {
        var name = Path.GetFileNameWithoutExtension(experimentFile);
        if (FileEntries.KindOf(experimentFile) == FileEntryKind.RegularFile)
        {
            try
            {
                var node = JsonNode.Parse(ConfigFileText.Read(experimentFile), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                if (node is JsonObject o && o["name"] is JsonValue v && v.GetValueKind() == JsonValueKind.String) name = v.GetValue<string>();
            }
            catch (Exception e) when (e is JsonException or HierReasonException)
            {
                // `hierreason train` reports a broken experiment; here the file name is as good a guess as any.
            }
        }
        else if (FileEntries.KindOf(experimentFile) != FileEntryKind.Missing)
        {
            throw new ConfigException(file, jsonPath, "an experiment file", $"'{experimentFile}' (not a regular file)");
        }
        if (PathSegmentName.Problem(name) is { } problem)
            throw new ConfigException(file, jsonPath, "an experiment whose name is " + PathSegmentName.Expected, $"{PathSegmentName.Quote(name)} ({problem})");
        return name;
    }

    private static string? ReadTemplate(JsonObject obj, string? inherited, string file, string path)
    {
        var template = ReadChoice(obj, "chat_template", ChatTemplates, inherited ?? "auto", file, path);
        return template == "auto" ? null : template;
    }

    private static string ReadChoice(JsonObject obj, string key, IReadOnlyList<string> choices, string inherited, string file, string path)
    {
        if (!obj.TryGetPropertyValue(key, out var node)) return inherited;
        var text = ConfigJson.String(node, file, $"{path}.{key}");
        if (!choices.Contains(text)) throw new ConfigException(file, $"{path}.{key}", $"one of {string.Join(", ", choices)}", $"'{text}'");
        return text;
    }

    private static GenerationSpec ReadGeneration(JsonObject parent, GenerationSpec inherited, string file, string parentPath)
    {
        var obj = ConfigJson.OptionalObject(parent, "generation", file, parentPath);
        if (obj is null) return inherited;
        var path = $"{parentPath}.generation";
        foreach (var (oldName, newName) in GenerationAliases) ConfigDeprecation.Alias(obj, oldName, newName, file, path);
        ConfigJson.RejectUnknown(obj, file, path, GenerationFields);
        var g = inherited;
        if (obj.TryGetPropertyValue("temperature", out var t))
        {
            var value = ConfigJson.Number(t, file, $"{path}.temperature");
            if (value is < 0 or > 10) throw new ConfigException(file, $"{path}.temperature", "a number in [0, 10] (0 = greedy)", ConfigJson.Found(t));
            g = g with { Temperature = value };
        }
        if (obj.TryGetPropertyValue("top_p", out var p))
        {
            var value = ConfigJson.Number(p, file, $"{path}.top_p");
            if (value is <= 0 or > 1) throw new ConfigException(file, $"{path}.top_p", "a number in (0, 1]", ConfigJson.Found(p));
            g = g with { TopP = value };
        }
        if (obj.TryGetPropertyValue("max_new_tokens", out var m))
            g = g with { MaxTokens = (int)ConfigJson.Integer(m, file, $"{path}.max_new_tokens", 1, 1_000_000) };
        if (obj.TryGetPropertyValue("n", out var samples))
            g = g with { Samples = (int)ConfigJson.Integer(samples, file, $"{path}.n", 1, MaxSamples) };
        if (obj.TryGetPropertyValue("seed", out var s))
            g = g with { Seed = ConfigJson.Integer(s, file, $"{path}.seed", long.MinValue, long.MaxValue, "an integer seed") };
        if (obj.TryGetPropertyValue("stop", out var stopNode))
        {
            var array = stopNode as JsonArray ?? throw new ConfigException(file, $"{path}.stop", "a list of stop strings", ConfigJson.Found(stopNode));
            var stops = new string[array.Count];
            for (var i = 0; i < array.Count; i++)
            {
                stops[i] = ConfigJson.String(array[i], file, $"{path}.stop[{i}]");
                if (stops[i].Length == 0) throw new ConfigException(file, $"{path}.stop[{i}]", "a non-empty stop string", "\"\"");
            }
            g = g with { Stop = stops };
        }
        return g;
    }

    private static string RequiredString(JsonObject obj, string key, string file, string path)
    {
        if (!obj.TryGetPropertyValue(key, out var node)) throw new ConfigException(file, $"{path}.{key}", $"\"{key}\" (a required field)", "nothing");
        return ConfigJson.String(node, file, $"{path}.{key}");
    }

    /// <summary><paramref name="key"/> as true or false, <paramref name="fallback"/> when absent; anything else names <paramref name="expected"/>.</summary>
    private static bool OptionalBoolean(JsonObject obj, string key, bool fallback, string file, string path, string expected)
    {
        if (!obj.TryGetPropertyValue(key, out var node)) return fallback;
        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
        throw new ConfigException(file, $"{path}.{key}", expected, ConfigJson.Found(node));
    }

    private static string? OptionalString(JsonObject obj, string key, string file, string path) =>
        obj.TryGetPropertyValue(key, out var node) ? ConfigJson.String(node, file, $"{path}.{key}") : null;
}
