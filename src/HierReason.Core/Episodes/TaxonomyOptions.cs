using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core.Taxonomies;

namespace HierReason.Core.Episodes;

/// <summary>
/// The options of the <c>taxonomy</c> strategy (seed 000), checked and completed with defaults by <see cref="Check"/> and
/// read back typed by <see cref="From"/>.
/// </summary>
/// <param name="Taxonomy"><c>default</c> (the shipped one), <c>scripted</c> (compute / check / guess, for the scripted reasoner) or a taxonomy.json path (made absolute against the config file's folder).</param>
/// <param name="Level">The taxonomy level whose labels the chooser picks from (default 1, or 0 for a one-level taxonomy).</param>
/// <param name="MaxSteps">Choices per episode at most; the last is forced to Finish (seed 000's max_reasoning_steps, 10).</param>
/// <param name="IclExamples">Examples of the chosen type shown to the reasoner per thought (seed 000's num_icl_examples, 5).</param>
/// <param name="Temperature">The reasoner's sampling temperature (seed 000's 0.1).</param>
/// <param name="Shuffle">Whether each episode lists the options in its own order (seeded by the item), as seed 000 shuffles them.</param>
/// <param name="Descriptions">Whether the chooser's prompt gives each type's description after its label (seed 000 does); off for small contexts.</param>
/// <param name="Reasoner"><c>model</c>: a frozen model writes the thoughts (role reasoner); <c>scripted</c>: the chain_sum scripted reasoner (no model).</param>
public sealed record TaxonomyOptions(
    string Taxonomy, int Level, int MaxSteps, int IclExamples, double Temperature, int ThoughtMaxTokens, int AnswerMaxTokens, bool Shuffle, long Seed, string Reasoner, bool Descriptions = true)
{
    public const string DefaultTaxonomyName = "default";
    public const string ScriptedTaxonomyName = "scripted";
    public const string ModelReasoner = "model";
    public const string ScriptedReasoner = "scripted";

    /// <summary>The most choices an episode may make: an episode runs at most 16 policy turns (<see cref="EpisodeLimits"/>).</summary>
    public const int MaxStepsLimit = 16;

    /// <summary>Option codes run A–Z then a–z, one kept for Finish.</summary>
    public const int MaxLabels = 51;

    public static TaxonomyOptions Default { get; } = new(DefaultTaxonomyName, -1, 10, 5, 0.1, 128, 64, true, 0, ModelReasoner);

    private static readonly string[] Keys =
        ["taxonomy", "level", "max_steps", "icl_examples", "temperature", "thought_max_tokens", "answer_max_tokens", "shuffle", "seed", "reasoner", "descriptions"];

    public bool UsesReasonerModel => Reasoner == ModelReasoner;

    /// <summary>The roles a composite with these (checked) options names: the chooser alone under the scripted reasoner.</summary>
    public static IReadOnlyList<string> RolesFor(JsonObject options) =>
        From(options).UsesReasonerModel ? [StrategyCatalog.ChooserRole, StrategyCatalog.ReasonerRole] : [StrategyCatalog.ChooserRole];

    /// <summary>The options checked (the taxonomy loaded, the level checked against it) and completed; errors name the file and path.</summary>
    public static JsonObject Check(JsonObject? options, string? file, string path)
    {
        var o = Default;
        foreach (var (key, value) in options ?? [])
        {
            var at = $"{path}.{key}";
            o = key switch
            {
                "taxonomy" => o with { Taxonomy = TaxonomyName(value, file, at) },
                "level" => o with { Level = (int)StrategyCatalog.Integer(value, file, at, 0, 64) },
                "max_steps" => o with { MaxSteps = (int)StrategyCatalog.Integer(value, file, at, 1, MaxStepsLimit) },
                "icl_examples" => o with { IclExamples = (int)StrategyCatalog.Integer(value, file, at, 0, 64) },
                "temperature" => o with { Temperature = StrategyCatalog.Number(value, file, at, 0, 2) },
                "thought_max_tokens" => o with { ThoughtMaxTokens = (int)StrategyCatalog.Integer(value, file, at, 1, 8192) },
                "answer_max_tokens" => o with { AnswerMaxTokens = (int)StrategyCatalog.Integer(value, file, at, 1, 8192) },
                "shuffle" => o with { Shuffle = Bool(value, file, at) },
                "seed" => o with { Seed = StrategyCatalog.Integer(value, file, at, 0, int.MaxValue) },
                "reasoner" => o with { Reasoner = Name(value, file, at, ModelReasoner, ScriptedReasoner) },
                "descriptions" => o with { Descriptions = Bool(value, file, at) },
                _ => throw new ConfigException(file, at, $"one of the options {string.Join(", ", Keys)}", $"unknown option '{key}'"),
            };
        }
        var taxonomy = LoadTaxonomy(o.Taxonomy, file, $"{path}.taxonomy");
        if (o.Level < 0) o = o with { Level = Math.Min(1, taxonomy.MaxLevel) };
        if (o.Level > taxonomy.MaxLevel)
            throw new ConfigException(file, $"{path}.level", $"a level of taxonomy '{taxonomy.Name}' (0 to {taxonomy.MaxLevel})", o.Level.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var labels = taxonomy.Level(o.Level).Count;
        if (labels > MaxLabels)
            throw new ConfigException(file, $"{path}.level", $"a level with at most {MaxLabels} labels (one code letter each)", $"level {o.Level} with {labels} labels");
        return new JsonObject
        {
            ["taxonomy"] = o.Taxonomy,
            ["level"] = o.Level,
            ["max_steps"] = o.MaxSteps,
            ["icl_examples"] = o.IclExamples,
            ["temperature"] = o.Temperature,
            ["thought_max_tokens"] = o.ThoughtMaxTokens,
            ["answer_max_tokens"] = o.AnswerMaxTokens,
            ["shuffle"] = o.Shuffle,
            ["seed"] = o.Seed,
            ["reasoner"] = o.Reasoner,
            ["descriptions"] = o.Descriptions,
        };
    }

    /// <summary>Typed options from a checked (or raw) options object; checks it again.</summary>
    public static TaxonomyOptions From(JsonObject options, string? file = null, string path = "$")
    {
        var c = Check(options, file, path);
        return new TaxonomyOptions((string)c["taxonomy"]!, (int)c["level"]!, (int)c["max_steps"]!, (int)c["icl_examples"]!, (double)c["temperature"]!,
            (int)c["thought_max_tokens"]!, (int)c["answer_max_tokens"]!, (bool)c["shuffle"]!, (long)c["seed"]!, (string)c["reasoner"]!,
            (bool)c["descriptions"]!);
    }

    /// <summary>The taxonomy these options name (a built-in one or the file).</summary>
    public Taxonomy Load() => LoadTaxonomy(Taxonomy, null, "$.taxonomy");

    private static Taxonomy LoadTaxonomy(string name, string? file, string path) => name switch
    {
        DefaultTaxonomyName => DefaultTaxonomy.Build(),
        ScriptedTaxonomyName => ScriptedTaxonomy.Build(),
        _ => LoadFile(name, file, path),
    };

    private static Taxonomy LoadFile(string taxonomyFile, string? file, string path)
    {
        if (!File.Exists(taxonomyFile)) throw new ConfigException(file, path, "\"default\", \"scripted\" or an existing taxonomy.json file", $"'{taxonomyFile}' (no such file)");
        return Taxonomies.Taxonomy.Load(taxonomyFile);
    }

    /// <summary>A built-in name, or a path resolved against the config file's folder and made absolute (so job keys do not depend on the working directory).</summary>
    private static string TaxonomyName(JsonNode? node, string? file, string path)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>().Trim().Length == 0)
            throw new ConfigException(file, path, "\"default\", \"scripted\" or the path of a taxonomy.json file", node?.ToJsonString() ?? "null");
        var name = v.GetValue<string>();
        if (name is DefaultTaxonomyName or ScriptedTaxonomyName) return name;
        var folder = Path.IsPathRooted(name) || file is null ? name : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", name);
        return Path.GetFullPath(folder);
    }

    private static bool Bool(JsonNode? node, string? file, string path) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : throw new ConfigException(file, path, "true or false", node?.ToJsonString() ?? "null");

    private static string Name(JsonNode? node, string? file, string path, string first, string second) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { } text && (text == first || text == second)
            ? text
            : throw new ConfigException(file, path, $"\"{first}\" or \"{second}\"", node?.ToJsonString() ?? "null");
}
