using System.Collections.Concurrent;
using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace HierReason.Core.Tasks;

/// <summary>Config of <see cref="MultiHopLookupTask"/>: the size of the world, its seed, and the shape of the question.</summary>
public sealed record MultiHopLookupConfig : TaskConfig
{
    [Description("Countries in the world; each has a capital city.")]
    public int Countries { get; init; } = 24;

    [Description("Cities in the world (at least one per country, for its capital).")]
    public int Cities { get; init; } = 96;

    [Description("People in the world; surnames recur, about four people to a surname.")]
    public int People { get; init; } = 240;

    [Description("Companies in the world, each with a founder, a headquarters city and a founding year.")]
    public int Companies { get; init; } = 80;

    [Description("Rivers in the world, each flowing through 2-4 cities (at most cities / 2).")]
    public int Rivers { get; init; } = 16;

    [Description("Seed of the world; the world of each split also depends on the split, so splits share no entity.")]
    public long WorldSeed { get; init; }

    [Description("Worlds the items spread over (1-10000): each item's world seed is world_seed plus a draw in [0, worlds). Train on many, so a model cannot memorise one world's facts and must read them; benchmark on one (the default), which one retrieval index serves.")]
    public int Worlds { get; init; } = 1;

    [Description("Lookups needed to answer: 1-4 (a comparison takes 2 or 4, half for each side).")]
    public int Hops { get; init; } = 2;

    [Description("Ask which of two companies was founded earlier (or later) instead of following one chain.")]
    public bool Comparison { get; init; }

    [Description("Distractor sentences per document that mention an unrelated entity in passing (0-3).")]
    public int PassingMentions { get; init; } = 1;

    public override void Validate()
    {
        InRange(Countries, 2, 500, nameof(Countries));
        InRange(Cities, 2, 5000, nameof(Cities));
        Ordered(Countries, Cities, nameof(Countries), nameof(Cities));
        InRange(People, 4, 20_000, nameof(People));
        InRange(Companies, 2, 5000, nameof(Companies));
        InRange(Rivers, 0, Cities / 2, nameof(Rivers));
        InRange(WorldSeed, 0, long.MaxValue, nameof(WorldSeed));
        // Each world used is built once and kept (and a search strategy keeps its BM25 index): ~10,000 bounds that memory.
        InRange(Worlds, 1, 10_000, nameof(Worlds));
        InRange(WorldSeed, 0, long.MaxValue - Worlds, nameof(WorldSeed));
        InRange(Hops, 1, 4, nameof(Hops));
        if (Comparison && Hops % 2 != 0)
            throw new ConfigException(null, Field(nameof(Hops)), "2 or 4 when comparison is true (half the hops for each side)", Hops.ToString(CultureInfo.InvariantCulture));
        InRange(PassingMentions, 0, 3, nameof(PassingMentions));
    }
}

/// <summary>One lookup of a question's chain: the fact (subject, relation, object), the document that states it, and the gold search query.</summary>
public sealed record LookupHop(string Subject, LookupRelation Relation, string Object, string DocId, string Query);

/// <summary>What a multi-hop lookup item needs for scoring, retrieval and inspection: its world and its chain of hops.</summary>
public sealed record MultiHopLookupMetadata : TaskMetadata
{
    /// <summary>The world the item lives in; <see cref="MultiHopLookupTask.Corpus(MultiHopWorldSpec)"/> rebuilds its documents.</summary>
    public required MultiHopWorldSpec World { get; init; }

    /// <summary><see cref="MultiHopWorldSpec.Id"/> of <see cref="World"/>: one retrieval index per world id.</summary>
    public required string WorldId { get; init; }

    /// <summary>True for a comparison question: the first half of <see cref="Hops"/> is one side, the second half the other.</summary>
    public required bool Comparison { get; init; }

    /// <summary>The hops in the order the gold trace searches them.</summary>
    public required IReadOnlyList<LookupHop> Hops { get; init; }

    /// <summary>The gold search queries, one per hop.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Queries => Hops.Select(h => h.Query).ToArray();

    /// <summary>The documents the answer needs, in hop order, without repeats.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> GoldDocIds => Hops.Select(h => h.DocId).Distinct().ToArray();
}

/// <summary>
/// Answer a question about a generated world of fictional entities by following 1–4 facts, each stated in one
/// document of the world's corpus. Scoring: exact match after Search-R1's normalisation (case, punctuation,
/// articles, spacing); every other answer scores 0.
/// </summary>
public sealed class MultiHopLookupTask : ReasoningTask<MultiHopLookupConfig, MultiHopLookupMetadata>
{
    private readonly ConcurrentDictionary<MultiHopWorldSpec, MultiHopWorld> _worlds = new();

    public override string Name => "multi_hop_lookup";

    public override string Description => "Answer a 1-4 hop question about a fictional world by looking facts up in its documents.";

    /// <summary>The documents of the default-sized world of (split, world seed): what a retrieval index is built from.</summary>
    public static IReadOnlyList<MultiHopDocument> Corpus(Split split, long worldSeed)
        => Corpus(MultiHopWorldSpec.Of(new MultiHopLookupConfig { WorldSeed = worldSeed }, split));

    /// <summary>The documents of the world of <paramref name="world"/> (e.g. an item's <see cref="MultiHopLookupMetadata.World"/>).</summary>
    public static IReadOnlyList<MultiHopDocument> Corpus(MultiHopWorldSpec world) => MultiHopWorld.Build(world).Documents;

    /// <summary>The world of a spec, built once per task instance.</summary>
    public MultiHopWorld World(MultiHopWorldSpec spec) => _worlds.GetOrAdd(spec, MultiHopWorld.Build);

    protected override IEnumerable<MultiHopLookupConfig> DifficultyLevels() =>
    [
        new() { Hops = 1 },
        new() { Hops = 2 },
        new() { Hops = 2, Comparison = true },
        new() { Hops = 3 },
        new() { Hops = 4, PassingMentions = 2 },
    ];

    protected override TaskItem Generate(MultiHopLookupConfig config, ItemContext context)
    {
        var rng = context.Rng;
        // One world draws nothing, so items of the default config are what they always were.
        var spec = MultiHopWorldSpec.Of(config.Worlds == 1 ? config : config with { WorldSeed = config.WorldSeed + rng.Int(0, config.Worlds - 1) }, context.Split);
        var world = World(spec);
        for (var failures = 0; failures < ItemContext.MaxDraws;)
        {
            var drawn = config.Comparison ? DrawComparison(world, rng, config.Hops / 2) : DrawChain(world, rng, config.Hops);
            if (drawn is not var (question, steps, answer)) { failures++; continue; }
            if (!context.Accepts(question)) continue;
            var hops = steps.Select(s => Hop(world, s)).ToArray();
            return context.Item(question, answer, new MultiHopLookupMetadata
            {
                Solution = Trace(world, steps, hops, answer, config.Comparison, question),
                World = spec,
                WorldId = spec.Id,
                Comparison = config.Comparison,
                Hops = hops,
            });
        }
        throw new HierReasonException($"{Name}: the world has too few {config.Hops}-hop {(config.Comparison ? "comparisons" : "chains")}; make it larger");
    }

    protected override double ScoreAnswer(string answer, TaskItem item, MultiHopLookupMetadata metadata)
        => NormalizeAnswer(answer) == NormalizeAnswer(item.Answer) ? 1.0 : 0.0;

    /// <summary>Search-R1's <c>normalize_answer</c>: lower case, no punctuation, no articles, single spaces.</summary>
    public static string NormalizeAnswer(string answer)
    {
        var b = new StringBuilder(answer.Length);
        foreach (var c in answer)
            b.Append(char.IsPunctuation(c) || char.IsSymbol(c) ? ' ' : char.ToLowerInvariant(c));
        var words = b.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w is not ("a" or "an" or "the"));
        return string.Join(' ', words);
    }

    private readonly record struct Step(int Subject, LookupRelation Relation, int Object);

    private static readonly LookupRelation[] Relations = Enum.GetValues<LookupRelation>();

    /// <summary>
    /// A chain drawn backwards from its answer: the answer uniformly from the world's entities and founding years, then
    /// facts leading to it. Drawing forwards would funnel most chains into the few countries, capitals and rivers, and a
    /// constant answer would score well.
    /// </summary>
    private static (string Question, List<Step> Steps, string Answer)? DrawChain(MultiHopWorld world, TaskRng rng, int hops)
    {
        var companies = world.OfKind(EntityKind.Company);
        var pick = rng.Int(0, world.EntityCount + companies.Count - 1);
        var year = pick >= world.EntityCount;
        var answer = year ? companies[pick - world.EntityCount] : pick;
        // A few tries per answer, so answers with few ways in are not crowded out by hubs (prolific founders, big cities).
        for (var attempt = 0; attempt < 8; attempt++)
            if (WalkBack(world, rng, hops, answer, year) is { } steps)
                return (Ask(world, steps), steps, ObjectName(world, steps[^1]));
        return null;
    }

    /// <summary>
    /// <paramref name="hops"/> facts ending at <paramref name="answer"/> (at its founding year when <paramref name="year"/>),
    /// drawn backwards and never visiting an entity twice; null when the walk dead-ends.
    /// </summary>
    private static List<Step>? WalkBack(MultiHopWorld world, TaskRng rng, int hops, int answer, bool year)
    {
        var steps = new List<Step>(hops);
        var current = answer;
        if (year) steps.Add(new Step(current, LookupRelation.FoundedYear, world.Follow(current, LookupRelation.FoundedYear)!.Value));
        var visited = new List<int>(hops + 1) { current };
        Span<LookupRelation> options = stackalloc LookupRelation[Relations.Length];
        while (steps.Count < hops)
        {
            var k = 0;
            foreach (var r in Relations)
                if (r != LookupRelation.FoundedYear && HasUnvisited(world.Subjects(current, r), visited)) options[k++] = r;
            if (k == 0) return null;
            var relation = options[rng.Int(0, k - 1)];
            var candidates = world.Subjects(current, relation).Where(s => !visited.Contains(s)).ToArray();
            var subject = candidates[rng.Int(0, candidates.Length - 1)];
            steps.Insert(0, new Step(subject, relation, current));
            visited.Add(subject);
            current = subject;
        }
        return steps;
    }

    private static bool HasUnvisited(IReadOnlyList<int> subjects, List<int> visited)
    {
        foreach (var s in subjects)
            if (!visited.Contains(s)) return true;
        return false;
    }

    private static (string Question, List<Step> Steps, string Answer)? DrawComparison(MultiHopWorld world, TaskRng rng, int side)
    {
        var companies = world.OfKind(EntityKind.Company);
        if (WalkBack(world, rng, side, rng.Choice(companies), year: true) is not { } a) return null;
        if (WalkBack(world, rng, side, rng.Choice(companies), year: true) is not { } b) return null;
        var (companyA, yearA) = (a[^1].Subject, a[^1].Object);
        var (companyB, yearB) = (b[^1].Subject, b[^1].Object);
        if (companyA == companyB || yearA == yearB) return null;
        // Side a is the answer, drawn uniformly: picking "earlier" or "later" at random instead would make the oldest
        // and the newest companies frequent answers.
        var earlier = yearA < yearB;
        var (first, second) = rng.Bool() ? (a, b) : (b, a);
        var question = $"Which company was founded {(earlier ? "earlier" : "later")}, {Describe(world, first, side - 1)} or {Describe(world, second, side - 1)}?";
        return (question, [.. first, .. second], world.Name(companyA));
    }

    private static string ObjectName(MultiHopWorld world, Step step) => step.Relation == LookupRelation.FoundedYear
        ? step.Object.ToString(CultureInfo.InvariantCulture)
        : world.Name(step.Object);

    /// <summary>A noun phrase for the entity reached after the first <paramref name="count"/> steps ("the founder of Zentrix Labs").</summary>
    private static string Describe(MultiHopWorld world, List<Step> steps, int count)
    {
        if (count == 0) return world.Name(steps[0].Subject);
        var relation = steps[count - 1].Relation;
        if (relation == LookupRelation.LocatedIn && count >= 2 && steps[count - 2].Relation is LookupRelation.BornIn or LookupRelation.HeadquarteredIn)
        {
            var before = Describe(world, steps, count - 2);
            return steps[count - 2].Relation == LookupRelation.BornIn ? $"the country where {before} was born" : $"the country where {before} is headquartered";
        }
        var d = Describe(world, steps, count - 1);
        return relation switch
        {
            LookupRelation.BornIn => $"the city where {d} was born",
            LookupRelation.Spouse => $"the spouse of {d}",
            LookupRelation.Employer => $"the employer of {d}",
            LookupRelation.LocatedIn => $"the country {d} is in",
            LookupRelation.River => $"the river that flows through {d}",
            LookupRelation.Capital => $"the capital of {d}",
            LookupRelation.FoundedBy => $"the founder of {d}",
            LookupRelation.HeadquarteredIn => $"the city where {d} is headquartered",
            _ => throw new ArgumentOutOfRangeException(nameof(steps), "a founding year ends a chain"),
        };
    }

    private static string Ask(MultiHopWorld world, List<Step> steps)
    {
        var n = steps.Count;
        var relation = steps[^1].Relation;
        if (relation == LookupRelation.LocatedIn && n >= 2 && steps[^2].Relation == LookupRelation.BornIn)
            return $"In which country was {Describe(world, steps, n - 2)} born?";
        if (relation == LookupRelation.LocatedIn && n >= 2 && steps[^2].Relation == LookupRelation.HeadquarteredIn)
            return $"In which country is {Describe(world, steps, n - 2)} headquartered?";
        var d = Describe(world, steps, n - 1);
        return relation switch
        {
            LookupRelation.BornIn => $"In which city was {d} born?",
            LookupRelation.Spouse => $"Who is the spouse of {d}?",
            LookupRelation.Employer => $"Which company does {d} work for?",
            LookupRelation.LocatedIn => $"In which country is {d}?",
            LookupRelation.River => $"Which river flows through {d}?",
            LookupRelation.Capital => $"What is the capital of {d}?",
            LookupRelation.FoundedBy => $"Who founded {d}?",
            LookupRelation.HeadquarteredIn => $"In which city is {d} headquartered?",
            LookupRelation.FoundedYear => $"In which year was {d} founded?",
            _ => throw new ArgumentOutOfRangeException(nameof(steps)),
        };
    }

    private static LookupHop Hop(MultiHopWorld world, Step step)
    {
        var s = world.Name(step.Subject);
        var query = step.Relation switch
        {
            LookupRelation.BornIn => $"Where was {s} born?",
            LookupRelation.Spouse => $"Who is {s} married to?",
            LookupRelation.Employer => $"Which company does {s} work for?",
            LookupRelation.LocatedIn => $"Which country is {s} in?",
            LookupRelation.River => $"Which river flows through {s}?",
            LookupRelation.Capital => $"What is the capital of {s}?",
            LookupRelation.FoundedBy => $"Who founded {s}?",
            LookupRelation.HeadquarteredIn => $"Where is {s} headquartered?",
            LookupRelation.FoundedYear => $"When was {s} founded?",
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        };
        return new LookupHop(s, step.Relation, ObjectName(world, step), world.Document(step.Subject).Id, query);
    }

    /// <summary>
    /// Search-R1's shape: per hop a search, the subject's document as the environment would insert it, and the fact
    /// it gives; then the answer.
    /// </summary>
    private static string Trace(MultiHopWorld world, List<Step> steps, LookupHop[] hops, string answer, bool comparison, string question)
    {
        var b = new StringBuilder();
        for (var i = 0; i < steps.Count; i++)
        {
            b.Append("<search>").Append(hops[i].Query).Append("</search>\n");
            b.Append("<information>").Append(world.Document(steps[i].Subject).Passage(1)).Append("</information>\n");
            b.Append(world.Fact(steps[i].Subject, steps[i].Relation, hops[i].Object)).Append('\n');
        }
        if (comparison)
        {
            var (a, z) = (hops[steps.Count / 2 - 1], hops[^1]);
            var which = question.Contains(" earlier,", StringComparison.Ordinal) ? "earlier" : "later";
            b.Append(CultureInfo.InvariantCulture, $"{a.Subject} was founded in {a.Object} and {z.Subject} in {z.Object}, so {answer} was founded {which}.\n");
        }
        else
        {
            b.Append("So the answer is ").Append(answer).Append(".\n");
        }
        b.Append("<answer>").Append(answer).Append("</answer>");
        return b.ToString();
    }
}
