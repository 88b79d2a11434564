using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Cli.Commands;
using HierReason.Core;
using HierReason.Core.Configs;
using HierReason.Core.Episodes;
using HierReason.Core.Json;
using HierReason.Core.Tasks;
using HierReason.Core.Taxonomies;
using HierReason.Harness.Config;
using HierReason.Training.Experiments;
using HierReason.Training.Rewards;
using Json.Schema;

namespace HierReason.Cli.Tests.Configs;

/// <summary>
/// schemas/*.schema.json against the readers: each object level declares exactly the keys its reader accepts (the arrays
/// the readers' unknown-key errors use), every shipped config file is strict JSON valid against the schema it names, and
/// a file a reader rejects the schema rejects at the same place.
/// </summary>
public sealed class ConfigSchemaTests
{
    private static string Root => Checkout.Root;

    private static JsonObject SchemaNode(string kind) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "schemas", kind + ".schema.json")))!.AsObject();

    private static JsonSchema Schema(string kind) =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(Root, "schemas", kind + ".schema.json")));

    /// <summary>The object schema at a JSON pointer (segments separated by '/'; "" is the root).</summary>
    private static JsonObject At(JsonObject schema, string pointer)
    {
        JsonNode node = schema;
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries)) node = node[segment]!;
        return node.AsObject();
    }

    /// <summary>The property names an object schema declares, without the annotation keys every object allows.</summary>
    private static string[] Declared(JsonObject objectSchema) =>
        objectSchema["properties"]!.AsObject().Select(p => p.Key).Where(k => k is not ("$comment" or "$schema")).Order(StringComparer.Ordinal).ToArray();

    private static string[] Sorted(IEnumerable<string> keys) => keys.Distinct().Order(StringComparer.Ordinal).ToArray();

    public static TheoryData<string, string, string[]> ObjectLevels()
    {
        var data = new TheoryData<string, string, string[]>
        {
            { "models", "", Sorted(ModelsFile.RootFields) },
            { "models", "$defs/defaults", Sorted(ModelsFile.DefaultFields) },
            { "models", "$defs/model", Sorted(ModelsFile.ModelFields) },
            { "models", "$defs/generation", Sorted([.. ModelsFile.GenerationFields, .. ModelsFile.GenerationAliases.Keys]) },
            { "models", "$defs/composite", Sorted([.. ModelsFile.CompositeFields, .. StrategyCatalog.Default.All.SelectMany(s => s.Roles)]) },
            { "taskset", "", Sorted(TaskSetFile.RootFields) },
            { "taskset", "properties/defaults", Sorted(TaskSetFile.DefaultFields) },
            { "taskset", "$defs/entry", Sorted(TaskSetFile.EntryFields) },
            { "task", "", Sorted(TaskConfigFile.Fields) },
            { "task", "properties/rewards", Sorted(TaskConfigFile.RewardNames) },
            { "experiment", "", Sorted([.. ExperimentKeys.Root, ExperimentMerge.BaseKey]) },
            { "experiment", "$defs/model", Sorted(ExperimentKeys.Model) },
            { "experiment", "$defs/model/properties/lora", Sorted(ExperimentKeys.Lora) },
            { "experiment", "$defs/data", Sorted(ExperimentKeys.Data) },
            { "experiment", "$defs/data_task", Sorted(ExperimentKeys.DataTask) },
            { "experiment", "$defs/sft", Sorted(ExperimentKeys.Sft) },
            { "experiment", "$defs/grpo", Sorted([.. ExperimentKeys.Grpo, .. ExperimentKeys.GrpoAliases.Keys]) },
            { "experiment", "$defs/grpo/properties/rewards", Sorted(RewardRegistry.Default.Names) },
            { "experiment", "$defs/environment_model", Sorted(ExperimentKeys.EnvironmentModel) },
            { "experiment", "properties/curriculum", Sorted(ExperimentKeys.Curriculum) },
            { "experiment", "properties/checkpoint", Sorted(ExperimentKeys.Checkpoint) },
            { "experiment", "properties/eval", Sorted(ExperimentKeys.Eval) },
            { "taxonomy", "", Sorted(TaxonomyReader.RootKeys) },
            { "taxonomy", "$defs/node", Sorted(TaxonomyReader.NodeKeys) },
        };
        // A task's config fields are its config record's properties, as `tasks list` and the reader see them.
        foreach (var task in TaskRegistry.Default.All)
        {
            var fields = (JsonObject)JsonSerializer.SerializeToNode(task.DefaultConfig, task.ConfigType, HierJson.Options)!;
            // The task file's schema, and the copies task sets and experiments use for an entry's "config".
            foreach (var kind in new[] { "task", "taskset", "experiment" })
                data.Add(kind, $"$defs/config_{task.Name}", Sorted(fields.Select(f => f.Key)));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ObjectLevels))]
    public void Each_object_level_declares_exactly_the_keys_its_reader_accepts(string kind, string pointer, string[] readerKeys)
    {
        var level = At(SchemaNode(kind), pointer);
        Assert.Equal(readerKeys, Declared(level));
        Assert.False(level["additionalProperties"]!.GetValue<bool>(), $"{kind} {pointer}: unknown keys must be errors, as in the reader");
        Assert.True(level["properties"]!.AsObject().ContainsKey("$comment"), $"{kind} {pointer}: \"$comment\" is allowed in every object");
    }

    [Fact]
    public void Enumerations_follow_the_code()
    {
        var models = SchemaNode("models");
        Assert.Equal(Sorted(StrategyCatalog.Default.Names), Sorted(Strings(At(models, "$defs/composite/properties/strategy")["enum"]!)));
        Assert.Equal(ModelsFile.Backends, Strings(At(models, "$defs/model/properties/backend")["enum"]!));
        Assert.Equal(ModelsFile.ChatTemplates, Strings(At(models, "$defs/chat_template")["enum"]!));
        Assert.Equal(ModelsFile.Dtypes, Strings(At(models, "$defs/dtype")["enum"]!));
        Assert.Equal(Sorted(TaskRegistry.Default.Names), Sorted(Strings(At(SchemaNode("task"), "properties/task")["enum"]!)));
        Assert.Equal(Sorted(TaskRegistry.Default.Names), Sorted(Strings(At(SchemaNode("taskset"), "$defs/entry/properties/task")["enum"]!)));
        Assert.Equal(Sorted(TaskRegistry.Default.Names), Sorted(Strings(At(SchemaNode("experiment"), "$defs/data_task/properties/task")["enum"]!)));
        Assert.Equal(TaskConfigFile.PromptStyles, Strings(At(SchemaNode("task"), "properties/prompt")["enum"]!));
        // Every task has its config definition, chosen by its name; task sets and experiments carry the same copies
        // (each schema stands alone, as `hierreason schema` writes it).
        Assert.Equal(TaskRegistry.Default.Names.Count(), At(SchemaNode("task"), "")["allOf"]!.AsArray().Count);
        Assert.Equal(TaskRegistry.Default.Names.Count(), At(SchemaNode("taskset"), "$defs/entry")["allOf"]!.AsArray().Count);
        Assert.Equal(TaskRegistry.Default.Names.Count(), At(SchemaNode("experiment"), "$defs/data_task")["allOf"]!.AsArray().Count);
        foreach (var name in TaskRegistry.Default.Names)
            foreach (var kind in new[] { "taskset", "experiment" })
                Assert.True(JsonNode.DeepEquals(At(SchemaNode("task"), $"$defs/config_{name}"), At(SchemaNode(kind), $"$defs/config_{name}")),
                    $"schemas/{kind}.schema.json's config_{name} differs from schemas/task.schema.json's: copy it over");
    }

    private static string[] Strings(JsonNode array) => array.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    [Theory]
    [InlineData("models")]
    [InlineData("taskset")]
    [InlineData("task")]
    [InlineData("experiment")]
    [InlineData("taxonomy")]
    public void Every_property_has_a_description_and_the_schema_is_what_the_tool_writes(string kind)
    {
        var schema = SchemaNode(kind);
        var missing = new List<string>();
        Walk(schema, schema, "#", missing);
        Assert.Empty(missing);
        Assert.Equal(File.ReadAllText(Path.Combine(Root, "schemas", kind + ".schema.json")), SchemaCommand.Text(kind));
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema["$schema"]!.GetValue<string>());
    }

    private static void Walk(JsonObject root, JsonNode? node, string path, List<string> missing)
    {
        if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++) Walk(root, array[i], $"{path}/{i}", missing);
            return;
        }
        if (node is not JsonObject obj) return;
        if (obj["properties"] is JsonObject properties)
            foreach (var (name, property) in properties)
                if (!Described(root, property)) missing.Add($"{path}/properties/{name}");
        // Conditions and combinations only constrain properties declared (and described) at the object's own level.
        foreach (var (key, child) in obj)
            if (key is not ("if" or "then" or "else" or "not" or "allOf" or "anyOf" or "oneOf"))
                Walk(root, child, $"{path}/{key}", missing);
    }

    private static bool Described(JsonObject root, JsonNode? property) => property switch
    {
        JsonObject p when p.ContainsKey("description") => true,
        JsonObject p when p["$ref"] is JsonValue r && r.GetValue<string>().StartsWith("#/", StringComparison.Ordinal) =>
            Described(root, At(root, r.GetValue<string>()[2..])),
        JsonValue v when v.GetValueKind() == JsonValueKind.False => true, // "not allowed here"
        _ => false,
    };

    /// <summary>Every JSON config file the repository ships, relative to its root.</summary>
    private static IEnumerable<string> ShippedFileList() => new[] { "models.json", "tasks.json" }
        .Concat(Directory.EnumerateFiles(Path.Combine(Root, "tasks"), "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/')))
        .Order(StringComparer.Ordinal);

    public static TheoryData<string> ShippedFiles() => new(ShippedFileList());

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void Every_shipped_config_is_strict_JSON_valid_against_the_schema_it_names(string file)
    {
        var path = Path.Combine(Root, file);
        // No comment handling, no trailing commas: what jq and Python read.
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        Assert.True(document.RootElement.TryGetProperty("$schema", out var reference), $"{file}: no \"$schema\"");
        var schemaPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, reference.GetString()!));
        Assert.Equal(Path.Combine(Root, "schemas"), Path.GetDirectoryName(schemaPath));
        Assert.True(File.Exists(schemaPath), $"{file}: \"$schema\" names {schemaPath}, which does not exist");

        var result = JsonSchema.FromText(File.ReadAllText(schemaPath)).Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"{file} is not valid against {reference.GetString()}: {Errors(result)}");
    }

    [Fact]
    public void Shipped_files_use_the_new_key_names()
    {
        foreach (var file in ShippedFileList())
        {
            var text = File.ReadAllText(Path.Combine(Root, file));
            foreach (var old in new[] { "\"max_tokens\"", "\"max_completion_length\"" })
                Assert.False(text.Contains(old, StringComparison.Ordinal), $"{file} still uses {old}");
        }
    }

    private static string Errors(EvaluationResults result) => string.Join("; ", Failures(result).Select(f => $"{f.Location}: {f.Message}"));

    private static IEnumerable<(string Location, string Message)> Failures(EvaluationResults result)
    {
        foreach (var detail in (result.Details ?? []).Prepend(result))
            foreach (var (_, message) in detail.Errors ?? new Dictionary<string, string>())
                yield return (detail.InstanceLocation.ToString(), message);
    }

    /// <summary>
    /// Files the readers reject, each with the JSON path the reader names: the schema rejects them too, at that place
    /// (a JSON pointer of the same path).
    /// </summary>
    public static TheoryData<string, string, string> Rejected() => new()
    {
        // An unknown (misspelt) key.
        { "models", """{ "models": [ { "name": "a", "backend": "local", "path": "m", "generation": { "max_new_token": 5 } } ] }""", "$.models[0].generation.max_new_token" },
        // A comment that is not text.
        { "models", """{ "models": [ { "$comment": 5, "name": "a", "backend": "local", "path": "m" } ] }""", "$.models[0].$comment" },
        // A config field the task does not have (each task's fields are in every schema that holds a task config).
        { "taskset", """{ "tasks": [ { "task": "chain_sum", "config": { "min_term": 2 } } ] }""", "$.tasks[0].config.min_term" },
        // Out of range.
        { "taskset", """{ "$schema": "x", "tasks": [ { "task": "chain_sum", "n": 0 } ] }""", "$.tasks[0].n" },
        // Not one of the choices.
        { "experiment", """{ "model": { "init": "tiny" }, "data": { "tasks": [ { "task": "chain_sum" } ] }, "grpo": { "loss_type": "ppo" } }""", "$.grpo.loss_type" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void A_file_a_reader_rejects_the_schema_rejects_at_the_same_place(string kind, string json, string readerPath)
    {
        using var dir = new TempFolder();
        var file = Path.Combine(dir.Path, kind == "experiment" ? "experiments/exp.json" : kind + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, json);
        var error = Assert.Throws<ConfigException>(() => Read(kind, file));
        Assert.Equal(readerPath, error.JsonPath);

        using var document = JsonDocument.Parse(json);
        var result = Schema(kind).Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.False(result.IsValid);
        var pointer = "/" + string.Join("/", readerPath[2..].Replace("[", ".").Replace("]", "").Split('.'));
        // An unknown key is reported at the key (the reader) or at its object (additionalProperties).
        var unknownKey = error.Message.Contains("unknown field", StringComparison.Ordinal);
        Assert.Contains(Failures(result), f => f.Location == pointer || (unknownKey && f.Location == pointer[..pointer.LastIndexOf('/')]));
    }

    private static void Read(string kind, string file)
    {
        switch (kind)
        {
            case "models": ModelsFile.Load(file); break;
            case "taskset": TaskSetFile.Load(file); break;
            case "experiment": ExperimentConfig.Load(file); break;
            default: throw new ArgumentException(kind);
        }
    }

    [Fact]
    public void Readers_accept_schema_and_comments_anywhere_and_ignore_them()
    {
        using var dir = new TempFolder();
        var tasks = Path.Combine(dir.Path, "tasks");
        Directory.CreateDirectory(tasks);
        File.WriteAllText(Path.Combine(tasks, "chain_sum.json"),
            """{ "$schema": "../schemas/task.schema.json", "$comment": ["two", "lines"], "task": "chain_sum", "config": { "$comment": "c", "max_terms": 3 } }""");
        var set = Path.Combine(dir.Path, "tasks.json");
        File.WriteAllText(set, """{ "$schema": "s", "$comment": "a set", "tasks": [ { "$comment": "one", "task": "chain_sum", "config": { "$comment": "x", "min_terms": 3 } } ], "defaults": { "$comment": "d", "n": 7 } }""");
        var entry = TaskSetFile.Load(set).Entries.Single();
        Assert.Equal(7, entry.N);
        Assert.Equal((3, 3), (((ChainSumConfig)entry.Config).MinTerms, ((ChainSumConfig)entry.Config).MaxTerms));

        // "$schema" belongs at the top only; a comment must be text.
        File.WriteAllText(set, """{ "tasks": [ { "$schema": "s", "task": "chain_sum" } ] }""");
        Assert.Equal("$.tasks[0].$schema", Assert.Throws<ConfigException>(() => TaskSetFile.Load(set)).JsonPath);
        File.WriteAllText(set, """{ "$comment": ["ok", 3], "tasks": [ { "task": "chain_sum" } ] }""");
        Assert.Equal("$.$comment[1]", Assert.Throws<ConfigException>(() => TaskSetFile.Load(set)).JsonPath);
    }

    [Fact]
    public async Task The_schema_command_writes_the_shipped_schemas()
    {
        var printed = await CliRun.Of("schema", "experiment");
        Assert.Equal(0, printed.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(Root, "schemas", "experiment.schema.json")), printed.Out);

        using var dir = new TempFolder();
        var output = Path.Combine(dir.Path, "models.schema.json");
        var written = await CliRun.Of("schema", "models", "--output", output);
        Assert.Equal(0, written.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(Root, "schemas", "models.schema.json")), File.ReadAllText(output));

        var unknown = await CliRun.Of("schema", "model");
        Assert.Equal(HierReasonCli.UserError, unknown.ExitCode);
        Assert.Contains("models", unknown.Err);
    }

    /// <summary>A temporary folder, deleted on dispose.</summary>
    internal sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("hr-schema-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); }
            catch (IOException) { }
        }
    }
}
