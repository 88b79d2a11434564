using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Core.Episodes;

/// <summary>
/// The options of the <c>planner_worker</c> strategy, checked and completed with defaults by <see cref="Check"/> (what
/// models.json validates against) and read back typed by <see cref="From"/> (what the strategy is built from).
/// </summary>
/// <param name="Combine">
/// <c>model</c>: the worker combines the sub-results itself; <c>exact</c>: where the item's metadata says how its parts
/// combine (<see cref="Tasks.IDecomposable"/>) and every sub-answer is an integer, the rule is applied exactly — elsewhere
/// the worker combines and the episode records <c>combine_fallback</c> = 1.
/// </param>
/// <param name="Depth">
/// Levels of planning: 1, the planner plans the question once; 2, it also plans each sub-question of a decomposing plan
/// (one more turn each), and the worker solves the parts of those it splits again (<see cref="MaxDepth"/> is the most).
/// </param>
/// <param name="Plan">
/// <c>model</c>: the planner model writes the plan; <c>gold</c>: the item's gold plan stands in the planner's turn and no
/// planner model runs (the benchmark's upper bound, configuration O: a composite then names only its worker).
/// </param>
public sealed record PlannerWorkerOptions(string Combine, double WorkerTemperature, int WorkerMaxTokens, int MaxSubproblems, int Depth, string Plan = PlannerWorkerOptions.ModelPlan)
{
    public const string ModelCombine = "model";
    public const string ExactCombine = "exact";
    public const string ModelPlan = "model";
    public const string GoldPlan = "gold";

    /// <summary>The deepest recursion built.</summary>
    public const int MaxDepth = 2;

    public static PlannerWorkerOptions Default { get; } = new(ModelCombine, 0, 256, 8, 1);

    private static readonly string[] Keys = ["combine", "worker_temperature", "worker_max_tokens", "max_subproblems", "depth", "plan"];

    /// <summary>Whether the item's gold plan replaces the planner model's.</summary>
    public bool UsesGoldPlan => Plan == GoldPlan;

    /// <summary>The models.json roles a composite with these (checked) options names: the worker alone under a gold plan.</summary>
    public static IReadOnlyList<string> RolesFor(JsonObject options) =>
        From(options).UsesGoldPlan ? [StrategyCatalog.WorkerRole] : [StrategyCatalog.PlannerRole, StrategyCatalog.WorkerRole];

    /// <summary>The options checked and completed; errors name <paramref name="file"/> and the option's JSON path.</summary>
    public static JsonObject Check(JsonObject? options, string? file, string path)
    {
        var o = Default;
        foreach (var (key, value) in options ?? [])
        {
            var at = $"{path}.{key}";
            o = key switch
            {
                "combine" => o with { Combine = CombineName(value, file, at) },
                "worker_temperature" => o with { WorkerTemperature = StrategyCatalog.Number(value, file, at, 0, 2) },
                "worker_max_tokens" => o with { WorkerMaxTokens = (int)StrategyCatalog.Integer(value, file, at, 1, 8192) },
                "max_subproblems" => o with { MaxSubproblems = (int)StrategyCatalog.Integer(value, file, at, 1, 64) },
                "depth" => o with { Depth = (int)StrategyCatalog.Integer(value, file, at, 1, MaxDepth) },
                "plan" => o with { Plan = Choice(value, file, at, ModelPlan, GoldPlan) },
                _ => throw new ConfigException(file, at, $"one of the options {string.Join(", ", Keys)}", $"unknown option '{key}'"),
            };
        }
        return new JsonObject
        {
            ["combine"] = o.Combine,
            ["worker_temperature"] = o.WorkerTemperature,
            ["worker_max_tokens"] = o.WorkerMaxTokens,
            ["max_subproblems"] = o.MaxSubproblems,
            ["depth"] = o.Depth,
            ["plan"] = o.Plan,
        };
    }

    /// <summary>Typed options from a checked (or raw) options object; checks it again, so a hand-edited job file fails clearly.</summary>
    public static PlannerWorkerOptions From(JsonObject options, string? file = null, string path = "$")
    {
        var c = Check(options, file, path);
        return new PlannerWorkerOptions(
            (string)c["combine"]!,
            (double)c["worker_temperature"]!,
            (int)c["worker_max_tokens"]!,
            (int)c["max_subproblems"]!,
            (int)c["depth"]!,
            (string)c["plan"]!);
    }

    private static string CombineName(JsonNode? node, string? file, string path) => Choice(node, file, path, ModelCombine, ExactCombine);

    private static string Choice(JsonNode? node, string? file, string path, string first, string second) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { } text && (text == first || text == second)
            ? text
            : throw new ConfigException(file, path, $"\"{first}\" or \"{second}\"", node?.ToJsonString() ?? "null");

}
