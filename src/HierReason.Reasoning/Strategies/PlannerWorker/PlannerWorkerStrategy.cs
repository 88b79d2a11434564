using System.Text.Encodings.Web;
using System.Text.Json;
using HierReason.Backends;
using HierReason.Core.Answers;
using HierReason.Core.Episodes;
using HierReason.Core.Tasks;

namespace HierReason.Reasoning.Strategies.PlannerWorker;

/// <summary>
/// planner_worker (seed 002): the trained planner (<see cref="Actor.Planner"/>) reads <see cref="Prompt"/> and writes a
/// JSON plan, the <see cref="PlannerWorkerEnvironment"/>'s frozen worker does the arithmetic, and the answer is the
/// worker's (<see cref="AnswerSource.Environment"/>): the planner's own text never earns a reward. Gold episodes: the
/// item's gold plan (<see cref="GoldPlan"/>) learned, the worker's transcript with the gold sub-answers masked.
/// </summary>
public static class PlannerWorkerStrategy
{
    public const string Name = "planner_worker";

    /// <summary>
    /// The planner's instruction (seed 002's, cut to what a tiny model reads on every item): decide, split into
    /// independent self-contained questions, reply with the JSON only. Followed by a blank line and the problem.
    /// </summary>
    public const string Instruction =
        "Plan how to solve the problem. If it has independent parts, split it into sub-problems: questions a worker can " +
        "answer alone. A worker answers each and combines the answers. Reply with JSON only: " +
        "{\"should_decompose\": true or false, \"subproblems\": [\"question\", ...] or [] to solve it directly, \"plan\": \"how the answers combine\"}";

    private static readonly JsonSerializerOptions PlanJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Prompt(string question) => Instruction + "\n\nProblem: " + question;

    /// <summary>The plan that solves the item directly, as the planner writes it.</summary>
    public static string DirectPlan { get; } = Json(false, [], "solve it directly");

    /// <summary>The strategy over <paramref name="worker"/>; under <c>plan: "gold"</c> its own policy writes each item's gold plan.</summary>
    public static EpisodeStrategy Create(IModelBackend worker, PlannerWorkerOptions options) =>
        Build(new PlannerWorkerEnvironment(worker, options), options.UsesGoldPlan ? new GoldPlanPolicy() : null);

    /// <summary>The strategy for SFT on its gold episodes, without a worker: its environment refuses to roll out.</summary>
    public static EpisodeStrategy ForGold() => Build(new GoldOnlyEnvironment(), null);

    private static EpisodeStrategy Build(IEnvironment environment, IEpisodePolicy? ownPolicy) => new()
    {
        OwnPolicy = ownPolicy,
        Name = Name,
        Prompt = item => Prompt(item.Question),
        Environment = environment,
        Answers = AnswerSource.Environment,
        PolicyActor = Actor.Planner,
        Gold = Gold,
    };

    /// <summary>
    /// The gold plan of an item as the planner writes it: its gold sub-problems' questions when the item splits into more
    /// than one (<see cref="GoldDecomposition"/>), otherwise a direct solve (also for tasks that define no decomposition).
    /// </summary>
    public static string GoldPlan(TaskItem item) => GoldDecomposition.Of(item) is { Splits: true } gold
        ? Json(true, gold.Subproblems.Select(s => s.Question).ToArray(), gold.Combine switch
        {
            CombineOperation.Difference => "subtract the smaller answer from the larger",
            CombineOperation.Product => "multiply the answers",
            _ => "add the answers",
        })
        : DirectPlan;

    /// <summary>A gold episode: the gold plan (learned), then the transcript the worker writes when it answers it correctly (masked).</summary>
    private static IReadOnlyList<Segment> Gold(TaskItem item)
    {
        var plan = new Segment(Actor.Planner, GoldPlan(item));
        if (GoldDecomposition.Of(item) is not { Splits: true } gold) return [plan, new Segment(Actor.Worker, item.Solution)];
        var answers = gold.Subproblems.Select(s => s.Answer).ToArray();
        var combined = PlannerWorkerEnvironment.ExactCombine(gold.Combine, answers) ?? throw new InvalidOperationException($"item {item.Id}: its gold sub-answers do not combine");
        return [plan, new Segment(Actor.Worker, PlannerWorkerEnvironment.Transcript(answers.Select(a => (string?)NumericAnswer.Format(a)).ToArray(), combined))];
    }

    private static string Json(bool decompose, string[] subproblems, string plan) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["should_decompose"] = decompose, ["subproblems"] = subproblems, ["plan"] = plan }, PlanJson);
}
