using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Core.Episodes;

/// <summary>
/// Every strategy a config may name, with its roles and options. The harness validates models.json against it without
/// loading any model; HierReason.Reasoning pairs each entry with its implementation (a test keeps the two in step).
/// Adding a strategy is one descriptor here and one registration line there.
/// </summary>
public sealed class StrategyCatalog
{
    private readonly Dictionary<string, StrategyDescriptor> _byName;

    public StrategyCatalog(IEnumerable<StrategyDescriptor> strategies)
    {
        _byName = new Dictionary<string, StrategyDescriptor>(StringComparer.Ordinal);
        foreach (var s in strategies)
        {
            if (!s.Roles.Contains(s.PolicyRole)) throw new ArgumentException($"strategy '{s.Name}': the policy role '{s.PolicyRole}' is not one of its roles");
            if (!_byName.TryAdd(s.Name, s)) throw new ArgumentException($"strategy '{s.Name}' is listed twice");
        }
    }

    /// <summary>The role of a single-model strategy ("model" in a models.json composite).</summary>
    public const string ModelRole = "model";

    /// <summary>planner_worker's trained role (the plan) and its frozen one (sub-problems, direct solves, the combine).</summary>
    public const string PlannerRole = "planner";

    public const string WorkerRole = "worker";

    /// <summary>thinker_searcher's trained role (the thinker, which searches and answers) and its frozen one (the searcher sub-agent).</summary>
    public const string ThinkerRole = "thinker";

    public const string SearcherRole = "searcher";

    /// <summary>taxonomy's trained role (it picks each thought's type) and its frozen one (it writes the thoughts and the answer).</summary>
    public const string ChooserRole = "chooser";

    public const string ReasonerRole = "reasoner";

    public const string TaxonomyName = "taxonomy";

    public static StrategyCatalog Default { get; } = new(
    [
        new(EpisodeStrategy.VanillaName, "the task prompt and one policy turn (the baseline row)", [ModelRole], ModelRole, NoOptions(EpisodeStrategy.VanillaName)),
        new("calculator", "the policy may call <calc>expression</calc>; the environment appends <result>value</result>", [ModelRole], ModelRole, CalculatorOptions),
        new("planner_worker", "the planner writes a JSON plan; a frozen worker solves its sub-problems (or the question) and combines them",
            [PlannerRole, WorkerRole], PlannerRole, PlannerWorkerOptions.Check, PlannerWorkerOptions.RolesFor),
        new("flat_search", "the policy may call <search>query</search>; the environment appends the top-k passages as <information>…</information> (Search-R1)",
            [ModelRole], ModelRole, SearchOptions.CheckFlat),
        new("thinker_searcher", "the thinker's <search>query</search> goes to a searcher sub-agent (a frozen model, extractive or oracle) whose summary comes back as <information>",
            [ThinkerRole, SearcherRole], ThinkerRole, SearchOptions.CheckHierarchical, SearchOptions.RolesFor),
        new(MajorityVoteName, "n sampled answers per item, the most common one kept (self-consistency; the row's pass_at_n is the upper bound)",
            [ModelRole], ModelRole, (o, f, p) => SampleSelection.CheckSamplingOptions(o, f, p, [])),
        new(TaxonomyName, "the chooser picks each thought's type from a taxonomy level (or Finish thinking); a frozen reasoner writes that thought, then the answer (seed 000)",
            [ChooserRole, ReasonerRole], ChooserRole, TaxonomyOptions.Check, TaxonomyOptions.RolesFor),
        new(BestOfNName, "n sampled solutions per item, the one a process reward model (option prm: a `hierreason prm train` folder) scores highest kept",
            [ModelRole], ModelRole, BestOfNOptions),
    ]);

    public const string MajorityVoteName = "majority_vote";

    public const string BestOfNName = "best_of_n";

    /// <summary>The trajectory reductions best_of_n accepts (seed 001's).</summary>
    public static readonly IReadOnlyList<string> Reductions = ["product", "min", "last", "sum"];

    /// <summary>
    /// best_of_n: the sampling options, <c>prm</c> (required: the PRM folder, relative to the config file's folder, which
    /// must hold config.json) and <c>reduction</c> (product, min, last or sum; default product).
    /// </summary>
    private static JsonObject BestOfNOptions(JsonObject? options, string? file, string path)
    {
        var checkedOptions = SampleSelection.CheckSamplingOptions(options, file, path, ["prm", "reduction"]);
        if (checkedOptions["prm"] is not JsonValue prmValue || prmValue.GetValueKind() != JsonValueKind.String || prmValue.GetValue<string>().Trim().Length == 0)
            throw new ConfigException(file, $"{path}.prm", "the folder of a process reward model (hierreason prm train --output)", checkedOptions["prm"]?.ToJsonString() ?? "nothing");
        var prm = prmValue.GetValue<string>();
        var folder = Path.IsPathRooted(prm) || file is null ? prm : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", prm);
        if (!File.Exists(Path.Combine(folder, "config.json")))
            throw new ConfigException(file, $"{path}.prm", "the folder of a process reward model with its config.json (hierreason prm train --output)", $"'{prm}' ({Path.GetFullPath(folder)} has no config.json)");
        checkedOptions["prm"] = Path.GetFullPath(folder);
        var reduction = checkedOptions["reduction"] is null ? "product" : checkedOptions["reduction"] is JsonValue r && r.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : null;
        if (reduction is null || !Reductions.Contains(reduction))
            throw new ConfigException(file, $"{path}.reduction", $"one of {string.Join(", ", Reductions)}", checkedOptions["reduction"]?.ToJsonString() ?? "null");
        checkedOptions["reduction"] = reduction;
        return checkedOptions;
    }

    public IEnumerable<string> Names => _byName.Keys.Order(StringComparer.Ordinal);

    public IEnumerable<StrategyDescriptor> All => _byName.Values.OrderBy(s => s.Name, StringComparer.Ordinal);

    public StrategyDescriptor? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The strategy called <paramref name="name"/>; an unknown name is a <see cref="ConfigException"/> at <paramref name="path"/> listing the known ones.</summary>
    public StrategyDescriptor Get(string name, string? file, string path) =>
        Find(name) ?? throw new ConfigException(file, path, $"a strategy (one of {string.Join(", ", Names)})", $"'{name}'");

    private static Func<JsonObject?, string?, string, JsonObject> NoOptions(string name) => (options, file, path) =>
    {
        if (options is { Count: > 0 }) throw new ConfigException(file, $"{path}.{options.First().Key}", $"no options (strategy '{name}' takes none)", "an option");
        return new JsonObject();
    };

    /// <summary>calculator: <c>max_calls</c> (0–1000, default 4) tool calls per episode.</summary>
    private static JsonObject CalculatorOptions(JsonObject? options, string? file, string path)
    {
        var maxCalls = 4L;
        foreach (var (key, value) in options ?? [])
        {
            if (key != "max_calls") throw new ConfigException(file, $"{path}.{key}", "one of the options max_calls", $"unknown option '{key}'");
            maxCalls = Integer(value, file, $"{path}.max_calls", 0, 1000);
        }
        return new JsonObject { ["max_calls"] = maxCalls };
    }

    /// <summary>A number option in [min, max].</summary>
    public static double Number(JsonNode? node, string? file, string path, double min, double max)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= min && d <= max)
            return d;
        throw new ConfigException(file, path, string.Create(CultureInfo.InvariantCulture, $"a number in [{min}, {max}]"), node?.ToJsonString() ?? "null");
    }

    /// <summary>An integer option in [min, max] (3.0 counts; 3.5 does not).</summary>
    public static long Integer(JsonNode? node, string? file, string path, long min, long max)
    {
        var expected = string.Create(CultureInfo.InvariantCulture, $"an integer in [{min}, {max}]");
        // The JSON text, not the CLR type: a value built in code (JsonValue<int>) and one parsed from a file read alike.
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number
            || !decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d != decimal.Truncate(d) || d < min || d > max)
            throw new ConfigException(file, path, expected, node?.ToJsonString() ?? "null");
        return (long)d;
    }
}
