using HierReason.Backends;
using HierReason.Core.Answers;
using HierReason.Core.Episodes;
using HierReason.Core.Prompts;
using HierReason.Core.Tasks;

namespace HierReason.Reasoning.Strategies.PlannerWorker;

/// <summary>
/// The frozen worker behind a trained planner (seed 002 at depth 1). After the planner's one turn it reads every open
/// episode's plan (<see cref="PlanParser"/>); the worker then gets, in <b>one</b> batched chat request, every sub-problem
/// of every decomposing episode and the question of every episode that solves directly, and in a second batched request
/// the combine of every decomposing episode (or the combine is computed exactly from the item's metadata, option
/// <c>combine: "exact"</c>). The worker's transcript ends the episode as a <see cref="Actor.Worker"/> segment (masked);
/// an unreadable plan ends it with no answer. The transcript never repeats the planner's text, so an <c>&lt;answer&gt;</c>
/// the planner wrote cannot reach the answer source. Stats: <see cref="PlannerNotes"/>.
/// <para>
/// At <c>depth: 2</c> a decomposing plan is followed by one more planner turn per sub-question (the environment asks
/// <see cref="SubplanRequest"/>, the planner answers with a plan of that sub-question, all in the same episode, so every
/// plan is trained). When all are written the worker gets, still in one batched request, every leaf: the parts of each
/// sub-question its plan split, each other sub-question whole, each direct question; a second request combines each
/// split sub-question from its parts (the worker's combine: its parts carry no metadata); the last combines the
/// sub-answers as at depth 1. A sub-plan that cannot be read solves its sub-question directly
/// (<see cref="PlannerNotes.SubplanParseFailed"/>).
/// </para>
/// </summary>
public sealed class PlannerWorkerEnvironment : IEnvironment
{
    private readonly IModelBackend _worker;
    private readonly SamplingSettings _sampling;

    public PlannerWorkerEnvironment(IModelBackend worker, PlannerWorkerOptions options)
    {
        if (options.Depth is < 1 or > PlannerWorkerOptions.MaxDepth) throw new ArgumentOutOfRangeException(nameof(options), options.Depth, $"depth 1 to {PlannerWorkerOptions.MaxDepth} is built");
        _worker = worker;
        Options = options;
        _sampling = new SamplingSettings { N = 1, Temperature = options.WorkerTemperature, MaxTokens = options.WorkerMaxTokens };
    }

    public string Name => PlannerWorkerStrategy.Name;

    public PlannerWorkerOptions Options { get; }

    public async Task<IReadOnlyList<EnvironmentStep?>> NextAsync(IReadOnlyList<Episode> episodes, CancellationToken cancellationToken)
    {
        var steps = new EnvironmentStep?[episodes.Count];
        var work = new List<Work>();
        var calls = new List<(Work Work, int Sub, int Part)>(); // Sub -1: the question itself; Part -1: the sub-question whole
        for (var i = 0; i < episodes.Count; i++)
        {
            var episode = episodes[i];
            if (!episode.IsPolicy(episode.Segments[^1])) continue;
            var item = episode.Item ?? throw new InvalidOperationException("a planner_worker episode needs its task item (the worker solves its question)");
            var plans = episode.Segments.Where(episode.IsPolicy).Select(s => s.Text).ToArray();
            if (PlanParser.Parse(plans[0]) is not { } plan)
            {
                steps[i] = EnvironmentStep.Stop(Stats(parseFailed: 1, decomposed: 0, subproblems: 0, tokens: 0));
                continue;
            }
            var questions = plan.Decomposes ? plan.Subproblems.Take(Options.MaxSubproblems).ToArray() : [];
            if (Options.Depth > 1 && questions.Length > 0 && plans.Length - 1 < questions.Length)
            {
                steps[i] = EnvironmentStep.Continue(new Segment(Actor.Environment, SubplanRequest(questions[plans.Length - 1], plans.Length, questions.Length)));
                continue;
            }
            var w = new Work(i, item, questions);
            for (var s = 0; s < questions.Length && Options.Depth > 1; s++)
            {
                if (PlanParser.Parse(plans[s + 1]) is not { } subplan) w.SubplanParseFailures++;
                else if (subplan.Decomposes) w.SetParts(s, subplan.Subproblems.Take(Options.MaxSubproblems).ToArray());
            }
            work.Add(w);
            if (w.Questions.Length == 0) calls.Add((w, -1, -1));
            for (var s = 0; s < w.Questions.Length; s++)
                if (w.Parts[s] is { } parts) for (var p = 0; p < parts.Length; p++) calls.Add((w, s, p));
                else calls.Add((w, s, -1));
        }

        // Round 1: every leaf of the batch (sub-problems, parts of split sub-problems, direct questions) in one request.
        var solved = await ChatAsync(calls.Select(c => TaskPrompt.For(c.Sub < 0 ? c.Work.Item.Question : c.Part < 0 ? c.Work.Questions[c.Sub] : c.Work.Parts[c.Sub]![c.Part])).ToArray(),
            cancellationToken).ConfigureAwait(false);
        for (var k = 0; k < calls.Count; k++)
        {
            var (w, sub, part) = calls[k];
            w.Tokens += solved[k].CompletionTokens;
            if (sub < 0) w.Transcript = solved[k].Text;
            else if (part < 0) w.Answers[sub] = AnswerExtractor.Extract(solved[k].Text);
            else w.PartAnswers[sub]![part] = AnswerExtractor.Extract(solved[k].Text);
        }

        // Depth 2: every split sub-problem combined from its parts, in one request.
        var splits = work.SelectMany(w => Enumerable.Range(0, w.Questions.Length).Where(s => w.Parts[s] is not null).Select(s => (Work: w, Sub: s))).ToArray();
        var subCombined = await ChatAsync(splits.Select(c => CombinePrompt(c.Work.Questions[c.Sub], c.Work.Parts[c.Sub]!, c.Work.PartAnswers[c.Sub]!)).ToArray(), cancellationToken)
            .ConfigureAwait(false);
        for (var k = 0; k < splits.Length; k++)
        {
            var (w, sub) = splits[k];
            w.Tokens += subCombined[k].CompletionTokens;
            w.Answers[sub] = AnswerExtractor.Extract(subCombined[k].Text);
        }

        // Last round: every combine the metadata cannot do exactly, in one request.
        var combining = new List<Work>();
        foreach (var w in work.Where(w => w.Questions.Length > 0))
        {
            if (Options.Combine == PlannerWorkerOptions.ExactCombine && Exact(w) is { } line) { w.Combined = line; w.Exact = true; }
            else combining.Add(w);
        }
        var combined = await ChatAsync(combining.Select(CombinePrompt).ToArray(), cancellationToken).ConfigureAwait(false);
        for (var k = 0; k < combining.Count; k++)
        {
            combining[k].Tokens += combined[k].CompletionTokens;
            combining[k].Combined = combined[k].Text;
        }

        foreach (var w in work) steps[w.Episode] = Finish(w);
        return steps;
    }

    /// <summary>
    /// What the environment writes after a depth-2 planner's plan (and after each sub-plan) to ask for the plan of
    /// sub-question <paramref name="number"/> of <paramref name="count"/>: the sub-question as the next problem.
    /// </summary>
    public static string SubplanRequest(string question, int number, int count) =>
        $"\n\nSub-problem {number} of {count}. Plan it the same way.\n\nProblem: {question}\n\n";

    /// <summary>
    /// The worker transcript of a decomposed episode: each sub-answer (after the answers to its parts, where a depth-2
    /// sub-plan split it: <paramref name="partAnswers"/>), then the combine (which ends in the answer).
    /// </summary>
    public static string Transcript(IReadOnlyList<string?> answers, string combined, IReadOnlyList<string?[]?>? partAnswers = null) =>
        string.Concat(answers.Select((a, i) =>
            string.Concat((partAnswers?[i] ?? []).Select((p, j) => $"Sub {i + 1}.{j + 1}: {Inert(p) ?? "no answer"}\n")) + $"Sub {i + 1}: {Inert(a) ?? "no answer"}\n"))
        + "Combined: " + combined;

    /// <summary>The worker's combine request: the question, then each sub-question with the worker's answer to it.</summary>
    public static string CombinePrompt(string question, IReadOnlyList<string> questions, IReadOnlyList<string?> answers) =>
        TaskPrompt.For(question + "\nAnswers to its parts:\n" + string.Concat(questions.Select((q, i) => $"{i + 1}. {q} Answer: {answers[i] ?? "none"}\n")).TrimEnd());

    private static string CombinePrompt(Work w) => CombinePrompt(w.Item.Question, w.Questions, w.Answers);

    /// <summary>The exact combine line with its answer, when the item's metadata has a rule and every sub-answer is an integer.</summary>
    private static string? Exact(Work w)
    {
        if (GoldDecomposition.Of(w.Item) is not { } gold) return null;
        var values = new List<long>();
        foreach (var a in w.Answers)
        {
            if (!NumericAnswer.TryParse(a, out var d) || d != decimal.Truncate(d) || d < long.MinValue || d > long.MaxValue) return null;
            values.Add((long)d);
        }
        return ExactCombine(gold.Combine, values);
    }

    /// <summary>A combine written out exactly, <c>12 + 7 = 19</c> then the answer tag; null when the operation does not apply to the answers.</summary>
    public static string? ExactCombine(CombineOperation operation, IReadOnlyList<long> answers) =>
        operation.Apply(answers) is { } result
            ? operation.Line(answers, result) + "\n" + AnswerExtractor.Open + NumericAnswer.Format(result) + AnswerExtractor.Close
            : null;

    private EnvironmentStep Finish(Work w)
    {
        var decomposed = w.Questions.Length > 0;
        var stats = new Dictionary<string, double>(Stats(parseFailed: 0, decomposed: decomposed ? 1 : 0, subproblems: w.Questions.Length, tokens: w.Tokens));
        if (decomposed && Options.Combine == PlannerWorkerOptions.ExactCombine) stats[w.Exact ? PlannerNotes.ExactCombine : PlannerNotes.CombineFallback] = 1;
        if (decomposed && GoldDecomposition.Of(w.Item) is { } gold)
        {
            var (matched, solved) = GoldSubproblemScore(gold, w.Questions, w.Answers);
            stats[PlannerNotes.GoldSubproblems] = matched;
            stats[PlannerNotes.GoldSubproblemsSolved] = solved;
        }
        if (Options.Depth > 1 && decomposed)
        {
            stats[PlannerNotes.SubplansDecomposed] = w.Parts.Count(p => p is not null);
            stats[PlannerNotes.SubplanParseFailed] = w.SubplanParseFailures;
        }
        var text = decomposed ? Transcript(w.Answers, w.Combined!, w.PartAnswers) : w.Transcript!;
        return EnvironmentStep.Last(new Segment(Actor.Worker, text) { Metadata = PlannerNotes.Metadata(w.Questions, w.Answers) }, stats);
    }

    /// <summary>
    /// How many of <paramref name="questions"/> are word for word a gold sub-question of the item, and how many of those the
    /// worker answered with that sub-problem's gold answer (a wrong number never counts).
    /// </summary>
    public static (int Matched, int Solved) GoldSubproblemScore(GoldDecomposition gold, IReadOnlyList<string> questions, IReadOnlyList<string?> answers)
    {
        int matched = 0, solved = 0;
        for (var i = 0; i < questions.Count; i++)
        {
            if (gold.Subproblems.FirstOrDefault(s => s.Question.Trim() == questions[i]) is not { } sub) continue;
            matched++;
            if (NumericAnswer.TryParse(answers[i], out var value) && value == sub.Answer) solved++;
        }
        return (matched, solved);
    }

    private async Task<IReadOnlyList<Completion>> ChatAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken)
    {
        if (prompts.Count == 0) return [];
        var replies = await _worker.ChatAsync(prompts.Select(p => (IReadOnlyList<Message>)[new Message("user", p)]).ToArray(), _sampling, cancellationToken).ConfigureAwait(false);
        if (replies.Count != prompts.Count || replies.Any(r => r.Count == 0))
            throw new InvalidOperationException($"worker '{_worker.Name}' answered {replies.Count} of {prompts.Count} conversations");
        return replies.Select(r => r[0]).ToArray();
    }

    private static Dictionary<string, double> Stats(int parseFailed, int decomposed, int subproblems, int tokens) => new(StringComparer.Ordinal)
    {
        [PlannerNotes.ParseFailed] = parseFailed,
        [PlannerNotes.Decomposed] = decomposed,
        [PlannerNotes.Subproblems] = subproblems,
        [PlannerNotes.WorkerTokens] = tokens,
    };

    /// <summary>A sub-answer with any answer tag taken out, so pieces of sub-answers cannot form the episode's answer.</summary>
    private static string? Inert(string? answer) =>
        answer?.Replace(AnswerExtractor.Open, "", StringComparison.Ordinal).Replace(AnswerExtractor.Close, "", StringComparison.Ordinal);

    /// <summary>One parsed episode's worker calls and what they returned.</summary>
    private sealed class Work(int episode, TaskItem item, string[] questions)
    {
        public int Episode { get; } = episode;
        public TaskItem Item { get; } = item;
        public string[] Questions { get; } = questions;
        public string?[] Answers { get; } = new string?[questions.Length];
        /// <summary>Depth 2: the parts a sub-plan split sub-question s into (null: solved whole), and the worker's answers to them.</summary>
        public string[]?[] Parts { get; } = new string[]?[questions.Length];
        public string?[]?[] PartAnswers { get; } = new string?[]?[questions.Length];
        public int SubplanParseFailures { get; set; }

        public void SetParts(int sub, string[] parts)
        {
            Parts[sub] = parts;
            PartAnswers[sub] = new string?[parts.Length];
        }

        public int Tokens { get; set; }
        public string? Transcript { get; set; }
        public string? Combined { get; set; }
        public bool Exact { get; set; }
    }
}
