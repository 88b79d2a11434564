using HierReason.Core.Answers;
using HierReason.Core.Prompts;
using HierReason.Core.Steps;
using HierReason.Core.Tasks;
using HierReason.Engine.Prm;
using HierReason.Training.Prm;

namespace HierReason.Training.Preference;

/// <summary>Which preference pairs <see cref="PairBuilder"/> makes from an item's sampled solutions.</summary>
public enum PairKind
{
    /// <summary>Seed 001's vanilla DPO: correct against incorrect solutions, as the verifier says.</summary>
    Outcome,

    /// <summary>Seed 001's pDPO: solutions ranked by a process reward model, higher against lower; the verifier is not asked.</summary>
    Prm,

    /// <summary>Step-DPO: the first wrong step (oracle step checker) against a verified alternative step after the same correct prefix.</summary>
    Step,
}

public static class PairKinds
{
    public static readonly string[] Names = ["outcome", "prm", "step"];

    public static PairKind Parse(string name, string where) => name switch
    {
        "outcome" => PairKind.Outcome,
        "prm" or "pdpo" => PairKind.Prm,
        "step" => PairKind.Step,
        _ => throw new TrainingException($"{where}: expected one of {string.Join(", ", Names)}; found '{name}'"),
    };

    public static string Name(PairKind kind) => Names[(int)kind];
}

/// <summary>How <see cref="PairBuilder"/> samples and pairs.</summary>
public sealed record PairBuildOptions
{
    /// <summary>Solutions sampled per item (seed 001 samples several per problem; best-of-8 uses 8).</summary>
    public int Solutions { get; init; } = 8;

    public double Temperature { get; init; } = 0.8;
    public double TopP { get; init; } = 1.0;
    public int MaxNewTokens { get; init; } = 256;

    /// <summary>At most this many pairs per item (all kinds).</summary>
    public int MaxPairsPerItem { get; init; } = 4;

    /// <summary>
    /// pDPO keeps a pair only when the chosen solution's PRM score exceeds the rejected one's by at least this much (and by
    /// more than 0). A product of many step probabilities is small: a PRM that gives every step ~0.3 scores a 3-step
    /// solution 0.03, so 0.1 would keep nothing; measure the spread with <c>prm score</c> first.
    /// </summary>
    public double PrmMargin { get; init; } = 0.1;

    /// <summary>How a solution's step scores become its PRM score (seed 001: product).</summary>
    public TrajectoryReduction Reduction { get; init; } = TrajectoryReduction.Product;

    public long Seed { get; init; }

    public void Validate()
    {
        if (Solutions is < 2 or > 256) Fail("--solutions", "an integer in [2, 256] (a pair needs two solutions)", Solutions);
        if (!(Temperature > 0 && double.IsFinite(Temperature))) Fail("--temperature", "> 0", Temperature);
        if (!(TopP > 0 && TopP <= 1)) Fail("--top-p", "in (0, 1]", TopP);
        if (MaxNewTokens < 1) Fail("--max-new-tokens", "at least 1", MaxNewTokens);
        if (MaxPairsPerItem < 1) Fail("--max-pairs-per-item", "at least 1", MaxPairsPerItem);
        if (!(PrmMargin >= 0 && PrmMargin <= 1)) Fail("--prm-margin", "in [0, 1]", PrmMargin);
    }

    private static void Fail(string option, string expected, object found) =>
        throw new TrainingException($"{option}: expected {expected}; found {found}");
}

/// <summary>
/// What a pair-building run made: items, solutions and how many were correct, pairs, and — the check the seed could not
/// make — how often a pair's chosen solution is the verifier's correct one and the rejected one wrong
/// (<see cref="PairsChosenCorrect"/>, <see cref="PairsInverted"/>: chosen wrong and rejected right).
/// </summary>
public sealed record PairBuildStats(string Kind, int Items, int Solutions, int CorrectSolutions, int Pairs, int ItemsWithPairs,
    int PairsChosenCorrect, int PairsInverted, double Seconds)
{
    public double SolutionAccuracy => Solutions == 0 ? 0 : CorrectSolutions / (double)Solutions;

    /// <summary>Pairs whose chosen side the verifier calls correct and rejected side wrong, of all pairs (1 for outcome pairs by construction).</summary>
    public double PairPrecision => Pairs == 0 ? 0 : PairsChosenCorrect / (double)Pairs;

    public PairBuildStats Add(PairBuildStats other) => this with
    {
        Items = Items + other.Items,
        Solutions = Solutions + other.Solutions,
        CorrectSolutions = CorrectSolutions + other.CorrectSolutions,
        Pairs = Pairs + other.Pairs,
        ItemsWithPairs = ItemsWithPairs + other.ItemsWithPairs,
        PairsChosenCorrect = PairsChosenCorrect + other.PairsChosenCorrect,
        PairsInverted = PairsInverted + other.PairsInverted,
        Seconds = Seconds + other.Seconds,
    };
}

/// <summary>
/// Preference pairs from a policy's own samples (the data of seed 001's DPO and pDPO, and of Step-DPO): per item,
/// <see cref="PairBuildOptions.Solutions"/> sampled solutions (one engine call per batch), each scored by the task's
/// verifier; then, by <see cref="PairKind"/>, outcome pairs (<see cref="OutcomePairs"/>), PRM-ranked pairs, or step pairs
/// (<see cref="StepDpoPairs"/>: the gold trace's next step when the prefix follows it, else sampled next lines, each
/// verified by the oracle checker). Step scoring reads a solution the way <c>prm label</c> cut it into steps.
/// </summary>
public sealed class PairBuilder(ICompletionSampler sampler, PairBuildOptions options, PrmScorer? prm = null,
    Func<TaskItem, Func<IReadOnlyList<string>, IEnumerable<string>>>? sampledAlternatives = null)
{
    public (IReadOnlyList<PreferencePair> Pairs, PairBuildStats Stats) Build(IReadOnlyList<TaskItem> items, IReasoningTask task, PairKind kind, IStepChecker? checker)
    {
        if (kind == PairKind.Prm && prm is null) throw new TrainingException("prm pairs need a process reward model (--prm)");
        if (kind == PairKind.Step && checker is null)
            throw new TrainingException($"step pairs need an oracle step checker, and task '{task.Name}' has none: expected one of {string.Join(", ", StepCheckerRegistry.Default.Tasks)}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sampling = new StepSampling(options.Temperature, options.TopP, options.MaxNewTokens);
        var solutions = sampler.Complete(items.Select(i => new SolutionState(i.Question, "")).ToArray(), options.Solutions, sampling,
            unchecked(options.Seed * 1_000_003 + StepAlternativeSampler.StableHash(string.Concat(items.Select(i => i.Id)))));
        var pairs = new List<PreferencePair>();
        int total = 0, correct = 0, withPairs = 0, chosenCorrect = 0, inverted = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var texts = solutions[i];
            var verdicts = texts.Select(t => task.Score(AnswerExtractor.Extract(t), item) >= 1.0).ToArray();
            total += texts.Count;
            correct += verdicts.Count(v => v);
            var made = kind switch
            {
                PairKind.Outcome => OutcomePairs.Build(item.Question, texts.Zip(verdicts), options.MaxPairsPerItem),
                PairKind.Prm => RankedPairs(item, texts),
                _ => StepPairs(item, texts, checker!),
            };
            if (made.Count > 0) withPairs++;
            var correctTexts = texts.Where((_, j) => verdicts[j]).ToHashSet(StringComparer.Ordinal);
            foreach (var pair in made)
            {
                // Step pairs compare one step: judge them by whether the full continuations reach the right answer.
                var chosen = pair.InitialReasonSteps + (pair.FullChosen ?? pair.Chosen);
                var rejected = pair.InitialReasonSteps + (pair.FullRejected ?? pair.Rejected);
                var chosenOk = correctTexts.Contains(chosen) || task.Score(AnswerExtractor.Extract(chosen), item) >= 1.0;
                var rejectedOk = correctTexts.Contains(rejected) || task.Score(AnswerExtractor.Extract(rejected), item) >= 1.0;
                if (chosenOk && !rejectedOk) chosenCorrect++;
                if (!chosenOk && rejectedOk) inverted++;
            }
            pairs.AddRange(made);
        }
        return (pairs, new PairBuildStats(PairKinds.Name(kind), items.Count, total, correct, pairs.Count, withPairs, chosenCorrect, inverted, clock.Elapsed.TotalSeconds));
    }

    /// <summary>
    /// pDPO: the item's distinct solutions ranked by PRM score, then the best against the worst, the second best against the
    /// second worst, … while the gap is at least the margin. A solution without an answer ranks last whatever its score.
    /// </summary>
    private IReadOnlyList<PreferencePair> RankedPairs(TaskItem item, IReadOnlyList<string> texts)
    {
        var distinct = texts.Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length < 2) return [];
        var prompt = TaskPrompt.For(item.Question);
        var scores = prm!.ScoreMany(distinct.Select(t => new Trajectory(prompt, SolutionSteps.Of(t).Texts)).ToList(), options.Reduction, batchSize: distinct.Length);
        var ranked = distinct
            .Select((t, j) => (Text: t, Answered: AnswerExtractor.Extract(t) is not null, Score: double.IsNaN(scores[j].Score) ? double.NegativeInfinity : scores[j].Score))
            .OrderByDescending(s => s.Answered).ThenByDescending(s => s.Score)
            .ToArray();
        var pairs = new List<PreferencePair>();
        for (int top = 0, bottom = ranked.Length - 1; top < bottom && pairs.Count < options.MaxPairsPerItem; top++, bottom--)
        {
            var better = ranked[top];
            var worse = ranked[bottom];
            var gap = !worse.Answered && better.Answered ? double.PositiveInfinity : better.Score - worse.Score;
            // Equal scores state no preference, whatever the margin.
            if (gap < options.PrmMargin || gap <= 0) break;
            pairs.Add(new PreferencePair(item.Question, better.Text, worse.Text));
        }
        return pairs;
    }

    /// <summary>Step-DPO pairs of the item's distinct solutions that make a first wrong step, one per distinct (prefix, wrong step).</summary>
    private IReadOnlyList<PreferencePair> StepPairs(TaskItem item, IReadOnlyList<string> texts, IStepChecker checker)
    {
        var gold = StepDpoPairs.GoldAlternatives(item);
        var sampled = sampledAlternatives?.Invoke(item);
        IEnumerable<string> Alternatives(IReadOnlyList<string> prefix) => sampled is null ? gold(prefix) : gold(prefix).Concat(sampled(prefix));
        var pairs = new List<PreferencePair>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in texts.Distinct(StringComparer.Ordinal))
        {
            if (pairs.Count >= options.MaxPairsPerItem) break;
            if (StepDpoPairs.ForItem(item, StepLines.Split(text), checker, Alternatives) is not { } pair) continue;
            if (seen.Add(pair.InitialReasonSteps + "\u0000" + pair.Rejected)) pairs.Add(pair);
        }
        return pairs;
    }
}
